# The compatibility calls for Debian's libsys-virt-perl: run once against real
# libvirt and once against ferrovirt; run.sh diffs the outputs.
use strict;
use warnings;
use Sys::Virt;
use Time::HiRes qw(time);

sub loaded_library {
    open(my $maps, "<", "/proc/self/maps") or return "none";
    while (my $line = <$maps>) {
        return (split(' ', $line))[-1] if $line =~ /libvirt\.so\.0/;
    }
    return "none";
}

# CPU time of the test driver is the wall clock: print it as such.
sub clock_or {
    my ($value) = @_;
    return abs(time() * 1e9 - $value) < 60e9 ? "<clock>" : $value;
}

sub error {
    my ($call) = @_;
    eval { $call->(); };
    if (my $e = $@) {
        return print "  died: $e" unless ref $e;
        printf "  code=%s domain=%s message=%s\n", $e->code, $e->domain, $e->message;
    } else {
        print "  no error\n";
    }
}

print STDERR "loaded: ", loaded_library(), "\n";
my $conn = Sys::Virt->new(uri => "test:///default");
print "libVersion ", $conn->get_library_version, "\n";
print "version ", $conn->get_version, "\n";
print "type ", $conn->get_type, "\n";
print "hostname ", $conn->get_hostname, "\n";
my $node = $conn->get_node_info;
print "nodeinfo ", join(" ", map { "$_=$node->{$_}" } sort keys %$node), "\n";
print "maxVcpus ", $conn->get_max_vcpus("test"), "\n";
print "alive/secure/encrypted ", $conn->is_alive, " ", $conn->is_secure, " ", $conn->is_encrypted, "\n";
print "capabilities\n", $conn->get_capabilities, "\n";
print "numOfDomains ", $conn->num_of_domains, " ids ", join(",", $conn->list_domain_ids(10)), "\n";
print "numOfDefined ", $conn->num_of_defined_domains, " names ", join(",", $conn->list_defined_domain_names(10)), "\n";
print "all ", join(",", map { $_->get_name } $conn->list_all_domains(0)), "\n";
print "active ", join(",", map { $_->get_name } $conn->list_all_domains(Sys::Virt::Domain::LIST_ACTIVE)), "\n";
print "inactive ", join(",", map { $_->get_name } $conn->list_all_domains(Sys::Virt::Domain::LIST_INACTIVE)), "\n";
for my $how (["byName", sub { $conn->get_domain_by_name("test") }],
             ["byID", sub { $conn->get_domain_by_id(1) }],
             ["byUUID", sub { $conn->get_domain_by_uuid("6695eb01-f6a4-8304-79aa-97f2502e193f") }]) {
    my $dom = $how->[1]->();
    my $info = $dom->get_info;
    print "$how->[0] ", $dom->get_name, " ", $dom->get_id, " ", $dom->get_uuid_string, " ", unpack("H*", $dom->get_uuid), "\n";
    print "  info state=$info->{state} maxMem=$info->{maxMem} memory=$info->{memory} nrVirtCpu=$info->{nrVirtCpu} cpuTime=",
        clock_or($info->{cpuTime}), "\n";
    my ($state, $reason) = $dom->get_state;
    print "  state $state $reason os ", $dom->get_os_type, " maxMemory ", $dom->get_max_memory,
        " maxVcpus ", $dom->get_max_vcpus, "\n";
    print "  active ", $dom->is_active, " persistent ", $dom->is_persistent, " updated ", $dom->is_updated, "\n";
}
my $dom = $conn->get_domain_by_name("test");
print "xml\n", $dom->get_xml_description(0), "\n";
print "inactive xml\n", $dom->get_xml_description(Sys::Virt::Domain::XML_INACTIVE), "\n";
print "get_domain_by_name('nonexistent')\n";
error(sub { $conn->get_domain_by_name("nonexistent") });
print "get_domain_by_id(99)\n";
error(sub { $conn->get_domain_by_id(99) });
print "get_domain_by_uuid(unknown)\n";
error(sub { $conn->get_domain_by_uuid("6695eb01-f6a4-8304-79aa-97f2502e193e") });
print "get_state(flags=1)\n";
error(sub { $dom->get_state(1) });
print "get_xml_description(UPDATE_CPU)\n";
error(sub { $dom->get_xml_description(Sys::Virt::Domain::XML_UPDATE_CPU) });

# Storage: libvirt lists pools and volumes in hash order, so lists are sorted.
print "storage pools ", $conn->num_of_storage_pools, " ", join(",", sort $conn->list_storage_pool_names(10)), "\n";
my $pool = $conn->get_storage_pool_by_name("default-pool");
my $pinfo = $pool->get_info;
print "pool ", $pool->get_name, " ", $pool->get_uuid_string, " state=$pinfo->{state} capacity=$pinfo->{capacity}",
    " allocation=$pinfo->{allocation} available=$pinfo->{available}\n";
print $pool->get_xml_description(0);
my $vol = $pool->create_volume("<volume><name>pv</name><capacity unit='KiB'>3</capacity></volume>");
my $vinfo = $vol->get_info;
print "vol ", $vol->get_name, " ", $vol->get_key, " ", $vol->get_path, " type=$vinfo->{type} capacity=$vinfo->{capacity}\n";
print $vol->get_xml_description(0);
print "get_volume_by_key(nokey)\n";
error(sub { $conn->get_storage_volume_by_key("nokey") });
$vol->delete(0);
print "define_storage_pool(bad)\n";
error(sub { $conn->define_storage_pool("<pool type='dir'><name>a</name></pool>") });

# --- network ---
# Networks: libvirt lists them in hash order, so lists are sorted.
print "networks ", $conn->num_of_networks, " ", join(",", sort $conn->list_network_names(10)), " ",
    $conn->num_of_defined_networks, "\n";
my $net = $conn->get_network_by_name("default");
print "network ", $net->get_name, " ", $net->get_uuid_string, " ", $net->get_bridge_name, " active ", $net->is_active,
    " persistent ", $net->is_persistent, " autostart ", $net->get_autostart, "\n";
print $net->get_xml_description(0);
my $n2 = $conn->define_network("<network><name>n2</name><uuid>11111111-2222-3333-4444-555555555556</uuid>"
    . "<forward mode='hostdev' managed='yes'><pf dev='eth0'/></forward><portgroup name='pg' default='yes'>"
    . "<vlan><tag id='4'/></vlan></portgroup></network>");
print $n2->get_xml_description(0);
print "all ", join(",", sort map { $_->get_name } $conn->list_all_networks(0)), "\n";
print "inactive ", join(",", sort map { $_->get_name } $conn->list_all_networks(Sys::Virt::Network::LIST_INACTIVE)), "\n";
$n2->create;
print "n2 active ", $n2->is_active, "\n";
print "undefine running\n";
error(sub { $n2->undefine });
$n2->destroy;
$n2->undefine;
print "get_network_by_name(n2)\n";
error(sub { $conn->get_network_by_name("n2") });
print "bridge name of a bridgeless network\n";
my $n3 = $conn->create_network("<network><name>n3</name></network>");
error(sub { $n3->get_bridge_name });
$n3->destroy;
