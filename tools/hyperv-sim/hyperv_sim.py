#!/usr/bin/python3
"""hyperv-sim: a WS-Management server answering as Windows WinRM + the Hyper-V WMI provider (root/virtualization/v2)."""

import argparse
import datetime
import ipaddress
import os
import signal
import ssl
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import inventory  # noqa: E402
import server  # noqa: E402


def self_signed(host_name, listen, cert_out=None):
    """A throw-away certificate for HOST, localhost and the listen address -> ssl.SSLContext."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    names = [x509.DNSName(host_name), x509.DNSName("localhost")]
    for addr in {listen, "127.0.0.1", "::1"}:
        try:
            names.append(x509.IPAddress(ipaddress.ip_address(addr)))
        except ValueError:
            names.append(x509.DNSName(addr))
    now = datetime.datetime.now(datetime.timezone.utc)
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, host_name)])
    cert = (x509.CertificateBuilder().subject_name(subject).issuer_name(subject).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(now - datetime.timedelta(minutes=5))
            .not_valid_after(now + datetime.timedelta(days=30))
            .add_extension(x509.SubjectAlternativeName(names), critical=False)
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .sign(key, hashes.SHA256()))
    cert_pem = cert.public_bytes(serialization.Encoding.PEM)
    key_pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                serialization.NoEncryption())
    if cert_out:
        with open(cert_out, "wb") as fh:
            fh.write(cert_pem)
    with tempfile.TemporaryDirectory() as tmp:
        cert_path, key_path = os.path.join(tmp, "cert.pem"), os.path.join(tmp, "key.pem")
        with open(cert_path, "wb") as fh:
            fh.write(cert_pem)
        with open(key_path, "wb") as fh:
            fh.write(key_pem)
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.load_cert_chain(cert_path, key_path)
    return ctx


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--listen", default="127.0.0.1")
    ap.add_argument("--port", type=int, default=0)
    ap.add_argument("--https", action="store_true")
    ap.add_argument("--cert-out")
    ap.add_argument("--user", default="administrator")
    ap.add_argument("--password", default="Passw0rd!")
    ap.add_argument("--inventory", help="JSON inventory (default: built-in host with a few VMs)")
    ap.add_argument("--vms", type=int, default=0, help="add N generated VMs (benchmarks)")
    ap.add_argument("--latency-ms", type=int, default=0)
    args = ap.parse_args(argv)

    inv = inventory.load(args.inventory, args.vms) if args.inventory else inventory.with_generated(inventory.DEFAULT, args.vms)
    state = server.SimState(inv, args.user, args.password, args.latency_ms)
    ctx = self_signed(inv.get("host", {}).get("name", "HV-SIM01"), args.listen, args.cert_out) if args.https else None
    httpd = server.Server((args.listen, args.port), state, ctx)
    signal.signal(signal.SIGTERM, lambda *_: os._exit(0))
    host, port = httpd.server_address[:2]
    shown = f"[{host}]" if ":" in host else host
    print(f"hyperv-sim listening on {'https' if ctx else 'http'}://{shown}:{port}/wsman", flush=True)
    try:
        httpd.serve_forever()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
