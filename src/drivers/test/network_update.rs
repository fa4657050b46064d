//! virNetworkUpdate's edits of a network definition (libvirt's
//! virNetworkDefUpdateSection): add, delete or modify one entry of a section.

use super::network_xml::{Ip, NetDef};
use crate::abi::network::*;
use crate::abi::virterror::*;
use crate::core::{Error, Result};
use crate::xml::tree::Element;

fn invalid(detail: impl AsRef<str>) -> Error {
    Error::with_detail(VIR_ERR_OPERATION_INVALID, VIR_FROM_NETWORK, detail)
}

fn unsupported(detail: impl AsRef<str>) -> Error {
    Error::with_detail(VIR_ERR_OPERATION_UNSUPPORTED, VIR_FROM_NETWORK, detail)
}

/// An element on one line, as libvirt quotes entries in its messages.
fn one_line(el: &Element) -> String {
    let mut out = String::new();
    el.write(&mut out, 0);
    out.trim_end().to_owned()
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Command {
    Modify,
    Delete,
    AddLast,
    AddFirst,
}

/// Puts `new` first or last in `list`.
fn add<T>(list: &mut Vec<T>, command: Command, new: T) {
    if command == Command::AddFirst {
        list.insert(0, new);
    } else {
        list.push(new);
    }
}

pub fn apply(def: &mut NetDef, command: u32, section: u32, parent: i32, text: &str) -> Result<()> {
    let doc = roxmltree::Document::parse(text).map_err(|_| syntax_error(text))?;
    let el = Element::from_node(doc.root_element(), false);
    let name = |n: u32| match n {
        1 => "bridge",
        2 => "domain",
        3 => "ip",
        6 => "forward",
        _ => "forward pf",
    };
    let expect = |wanted: &str| -> Result<()> {
        if el.name != wanted {
            return Err(Error::with_detail(
                VIR_ERR_XML_ERROR,
                VIR_FROM_NETWORK,
                format!("unexpected element <{}>, expecting <{wanted}>, while updating network '{}'", el.name, def.name),
            ));
        }
        Ok(())
    };
    let section = section as i32;
    let command_of = || match command as i32 {
        VIR_NETWORK_UPDATE_COMMAND_MODIFY => Ok(Command::Modify),
        VIR_NETWORK_UPDATE_COMMAND_DELETE => Ok(Command::Delete),
        VIR_NETWORK_UPDATE_COMMAND_ADD_LAST => Ok(Command::AddLast),
        VIR_NETWORK_UPDATE_COMMAND_ADD_FIRST => Ok(Command::AddFirst),
        _ => Err(unsupported(format!("unrecognized network update command code {command}"))),
    };
    match section {
        VIR_NETWORK_SECTION_BRIDGE | VIR_NETWORK_SECTION_DOMAIN | VIR_NETWORK_SECTION_IP | VIR_NETWORK_SECTION_FORWARD
        | VIR_NETWORK_SECTION_FORWARD_PF => {
            Err(unsupported(format!("can't update '{}' section of network '{}'", name(section as u32), def.name)))
        }
        VIR_NETWORK_SECTION_IP_DHCP_HOST => {
            expect("host")?;
            let command = command_of()?;
            dhcp_host(def, command, parent, el)
        }
        VIR_NETWORK_SECTION_IP_DHCP_RANGE => {
            expect("range")?;
            let command = command_of()?;
            dhcp_range(def, command, parent, el)
        }
        VIR_NETWORK_SECTION_FORWARD_INTERFACE => {
            expect("interface")?;
            let command = command_of()?;
            forward_interface(def, command, el)
        }
        VIR_NETWORK_SECTION_PORTGROUP => {
            expect("portgroup")?;
            let command = command_of()?;
            portgroup(def, command, el)
        }
        VIR_NETWORK_SECTION_DNS_HOST | VIR_NETWORK_SECTION_DNS_TXT | VIR_NETWORK_SECTION_DNS_SRV => {
            let (tag, kind) = match section {
                VIR_NETWORK_SECTION_DNS_HOST => ("host", "HOST"),
                VIR_NETWORK_SECTION_DNS_TXT => ("txt", "TXT"),
                _ => ("srv", "SRV"),
            };
            expect(tag)?;
            let command = command_of()?;
            dns(def, command, tag, kind, el)
        }
        _ => Err(unsupported("can't update unrecognized section of network")),
    }
}

/// libxml2's report of a malformed snippet, as the storage XML makes it.
fn syntax_error(text: &str) -> Error {
    match super::storage_xml::parse_document(text, "network_update_xml", "") {
        Err(e) => Error { domain: VIR_FROM_NETWORK, ..e },
        Ok(_) => Error::internal(VIR_FROM_NETWORK, "malformed update"),
    }
}

/// The `<ip>` whose DHCP entries an update edits (libvirt's virNetworkIPDefByIndex).
fn ip_of<'a>(def: &'a mut NetDef, parent: i32) -> Result<&'a mut Ip> {
    let name = def.name.clone();
    if parent >= 0 {
        return def.ips.get_mut(parent as usize).ok_or_else(|| {
            invalid(format!("couldn't update dhcp host entry - no <ip> element found at index {parent} in network '{name}'"))
        });
    }
    let at = def
        .ips
        .iter()
        .position(|ip| !ip.ranges.is_empty() || !ip.hosts.is_empty())
        .or_else(|| def.ips.iter().position(|ip| ip.address.is_ipv4()));
    match at {
        Some(i) => Ok(&mut def.ips[i]),
        None => Err(invalid(format!("couldn't update dhcp host entry - no <ip> element found in network '{name}'"))),
    }
}

fn dhcp_host(def: &mut NetDef, command: Command, parent: i32, host: Element) -> Result<()> {
    let net = def.name.clone();
    let ip = ip_of(def, parent)?;
    // libvirt keeps a host's MAC as written, and compares MACs as addresses.
    let field = |h: &Element, k: &str| h.attr(k).map(|v| if k == "mac" { v.to_lowercase() } else { v.to_owned() });
    match command {
        Command::Delete => {
            let at = ip.hosts.iter().position(|h| {
                ["mac", "id", "name", "ip"].iter().all(|k| field(&host, k).map_or(true, |v| field(h, k) == Some(v)))
            });
            let at = at.ok_or_else(|| invalid(format!("couldn't locate a matching dhcp host entry in network '{net}'")))?;
            ip.hosts.remove(at);
        }
        _ if host.attr("ip").is_none() && ip.address.is_ipv4() => {
            return Err(Error::with_detail(
                VIR_ERR_XML_ERROR,
                VIR_FROM_NETWORK,
                format!("Missing IP address in static host definition for network '{net}'"),
            ));
        }
        Command::Modify => {
            let key = if host.attr("mac").is_some() { "mac" } else if host.attr("id").is_some() { "id" } else { "name" };
            let found = ip.hosts.iter().position(|h| field(h, key).is_some() && field(h, key) == field(&host, key));
            let Some(at) = found else {
                let given: Vec<String> = ["mac", "id", "name", "ip"]
                    .iter()
                    .filter_map(|k| host.attr(k).map(|v| format!("\"{k}='{v}'\"")))
                    .collect();
                return Err(invalid(format!(
                    "couldn't locate an existing dhcp host entry with {} in network '{net}'",
                    given.join(" ")
                )));
            };
            ip.hosts[at] = host;
        }
        _ => {
            let clash = ip.hosts.iter().any(|h| {
                ["mac", "id", "name", "ip"].iter().any(|k| field(h, k).is_some() && field(h, k) == field(&host, k))
            });
            if clash {
                return Err(invalid(format!(
                    "there is an existing dhcp host entry in network '{net}' that matches \"{}\"",
                    one_line(&host)
                )));
            }
            add(&mut ip.hosts, command, host);
        }
    }
    Ok(())
}

fn dhcp_range(def: &mut NetDef, command: Command, parent: i32, range: Element) -> Result<()> {
    let net = def.name.clone();
    let ip = ip_of(def, parent)?;
    let same = |r: &Element| r.attr("start") == range.attr("start") && r.attr("end") == range.attr("end");
    match command {
        Command::Modify => Err(unsupported("dhcp ranges cannot be modified, only added or deleted")),
        Command::Delete => {
            let at = ip
                .ranges
                .iter()
                .position(same)
                .ok_or_else(|| invalid(format!("couldn't locate a matching dhcp range entry in network '{net}'")))?;
            ip.ranges.remove(at);
            Ok(())
        }
        _ => {
            if ip.ranges.iter().any(same) {
                return Err(invalid(format!(
                    "there is an existing dhcp range entry in network '{net}' that matches \"{}\"",
                    one_line(&range)
                )));
            }
            add(&mut ip.ranges, command, range);
            Ok(())
        }
    }
}

fn forward_interface(def: &mut NetDef, command: Command, iface: Element) -> Result<()> {
    let net = def.name.clone();
    let dev = iface.attr("dev").unwrap_or("").to_owned();
    let at = def.forward_ifs.iter().position(|i| i.attr("dev") == Some(dev.as_str()));
    match command {
        Command::Modify => Err(unsupported("forward interface entries cannot be modified, only added or deleted")),
        Command::Delete => {
            let at = at.ok_or_else(|| {
                invalid(format!("couldn't find an interface entry in network '{net}' matching <interface dev='{dev}'>"))
            })?;
            def.forward_ifs.remove(at);
            Ok(())
        }
        _ if at.is_some() => Err(invalid(format!(
            "there is an existing interface entry in network '{net}' that matches \"<interface dev='{dev}'>\""
        ))),
        _ => {
            add(&mut def.forward_ifs, command, Element::new("interface").with_attr("dev", dev));
            Ok(())
        }
    }
}

fn portgroup(def: &mut NetDef, command: Command, mut group: Element) -> Result<()> {
    let net = def.name.clone();
    let name = group.attr("name").unwrap_or("").to_owned();
    if group.attr("default") != Some("yes") {
        group.remove_attr("default");
    }
    let at = def.portgroups.iter().position(|p| p.attr("name") == Some(name.as_str()));
    let missing = || invalid(format!("couldn't find a portgroup entry in network '{net}' matching <portgroup name='{name}'>"));
    match command {
        Command::Modify => {
            def.portgroups[at.ok_or_else(missing)?] = group;
        }
        Command::Delete => {
            def.portgroups.remove(at.ok_or_else(missing)?);
        }
        _ if at.is_some() => {
            return Err(invalid(format!(
                "there is an existing portgroup entry in network '{net}' that matches \"<portgroup name='{name}'>\""
            )))
        }
        _ => add(&mut def.portgroups, command, group),
    }
    Ok(())
}

fn dns(def: &mut NetDef, command: Command, tag: &str, kind: &str, record: Element) -> Result<()> {
    let net = def.name.clone();
    if command == Command::Modify {
        return Err(unsupported(format!("DNS {kind} records cannot be modified, only added or deleted")));
    }
    let dns = def.dns.get_or_insert_with(|| Element::new("dns"));
    let hostnames = |e: &Element| e.children_named("hostname").filter_map(|h| h.text.clone()).collect::<Vec<_>>();
    let attr = |e: &Element, k: &str| e.attr(k).map(str::to_owned);
    let matches = |e: &Element| -> bool {
        if e.name != tag {
            return false;
        }
        match tag {
            "txt" => attr(e, "name") == attr(&record, "name"),
            "host" if command == Command::Delete => {
                attr(&record, "ip").map_or(true, |ip| attr(e, "ip") == Some(ip))
                    && hostnames(&record).iter().all(|h| hostnames(e).contains(h))
            }
            "host" => {
                attr(e, "ip") == attr(&record, "ip") || hostnames(&record).iter().any(|h| hostnames(e).contains(h))
            }
            _ => ["service", "protocol", "domain", "target", "port", "priority", "weight"]
                .iter()
                .all(|k| attr(&record, k).map_or(true, |v| attr(e, k) == Some(v))),
        }
    };
    let at = dns.children.iter().position(matches);
    if command == Command::Delete {
        let at = at.ok_or_else(|| invalid(format!("couldn't locate a matching DNS {kind} record in network {net}")))?;
        dns.children.remove(at);
        return Ok(());
    }
    if at.is_some() {
        return Err(invalid(match tag {
            "txt" => format!("there is already a DNS TXT record with name '{}' in network {net}", record.attr("name").unwrap_or("")),
            "host" => format!("there is already at least one DNS HOST record with a matching field in network {net}"),
            _ => format!("there is already at least one DNS SRV record matching all specified fields in network {net}"),
        }));
    }
    // Records stay grouped by kind, in libvirt's order: forwarders, txt, srv, host.
    let rank = |name: &str| ["forwarder", "txt", "srv", "host"].iter().position(|k| *k == name).unwrap_or(4);
    let mine = rank(tag);
    let at = if command == Command::AddFirst {
        dns.children.iter().position(|c| rank(&c.name) >= mine)
    } else {
        dns.children.iter().position(|c| rank(&c.name) > mine)
    };
    dns.children.insert(at.unwrap_or(dns.children.len()), record);
    Ok(())
}
