package dev.consentry.profile;

import java.util.Objects;

/**
 * A handset captured on the lab's own Wi-Fi access point instead of through its proxy setting (profile field
 * {@code capture: { mode: access-point, ... }}): the access point's host redirects the handset's TCP 80/443 to a
 * transparent mitmdump, and flows are attributed to the handset by its address.
 *
 * @param wifiInterface  the access point's Wi-Fi interface on the lab host (wlan0)
 * @param handsetAddress the handset's address on that Wi-Fi (a DHCP reservation): only flows from it are its flows
 * @param port           the port of this handset's transparent mitmdump on the lab host
 */
public record AccessPointCapture(String wifiInterface, String handsetAddress, int port) {
    public AccessPointCapture {
        Objects.requireNonNull(wifiInterface, "wifiInterface");
        Objects.requireNonNull(handsetAddress, "handsetAddress");
    }
}
