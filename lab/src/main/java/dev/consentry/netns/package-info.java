/**
 * Access-point capture in network namespaces: the lab's own Wi-Fi access point rebuilt from {@code ip netns}, veth
 * pairs and iptables, so a handset with no proxy setting at all is captured by a transparent mitmdump.
 */
package dev.consentry.netns;
