#!/bin/sh
# Runs the same calls through Debian's python3-libvirt and libsys-virt-perl, once
# against the system's real libvirt and once against ferrovirt, and requires the
# same output (stdout and stderr). Clock-derived values are normalized by the
# scripts themselves.
#
# usage: tests/compat/run.sh LIBDIR     (LIBDIR holds ferrovirt's libvirt.so.0)
set -u
here=$(cd "$(dirname "$0")" && pwd)
[ $# -eq 1 ] && [ -e "$1/libvirt.so.0" ] || { echo "usage: $0 LIBDIR (with ferrovirt's libvirt.so.0)" >&2; exit 2; }
libdir=$(cd "$1" && pwd)
ours=$(readlink -f "$libdir/libvirt.so.0")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
status=0

fail() {
    echo "FAIL: $*" >&2
    status=1
}

# run NAME SIDE COMMAND...: output in $work/NAME.SIDE.{out,err}, the library the
# script loaded checked and its line removed from stderr.
run() {
    name=$1 side=$2
    shift 2
    if [ "$side" = ours ]; then
        LD_LIBRARY_PATH="$libdir${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}" "$@" >"$work/$name.$side.out" 2>"$work/$name.$side.raw"
    else
        "$@" >"$work/$name.$side.out" 2>"$work/$name.$side.raw"
    fi
    rc=$?
    [ $rc -eq 0 ] || fail "$name against $side libvirt exited with $rc"
    loaded=$(sed -n 's/^loaded: //p' "$work/$name.$side.raw")
    loaded=$(readlink -f "$loaded" 2>/dev/null || echo "$loaded")
    if [ "$side" = ours ] && [ "$loaded" != "$ours" ]; then
        fail "$name loaded '$loaded', not ferrovirt's $ours"
    elif [ "$side" = real ] && [ "$loaded" = "$ours" ]; then
        fail "$name loaded ferrovirt when it should load the system's libvirt"
    fi
    # The loader warns about symbol versions while the library has none.
    grep -v -e '^loaded: ' -e 'no version information available' "$work/$name.$side.raw" >"$work/$name.$side.err"
}

compare() {
    name=$1
    for stream in out err; do
        if ! diff -u --label "$name real libvirt ($stream)" --label "$name ferrovirt ($stream)" \
            "$work/$name.real.$stream" "$work/$name.ours.$stream"; then
            fail "$name: std$stream differs"
        fi
    done
}

for side in real ours; do
    run python "$side" /usr/bin/python3 "$here/compat.py"
    run perl "$side" perl "$here/compat.pl"
done
compare python
compare perl

if [ $status -eq 0 ]; then
    echo "compat: python3-libvirt and Sys::Virt give the same results with ferrovirt as with libvirt"
fi
exit $status
