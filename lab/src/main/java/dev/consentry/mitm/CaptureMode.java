package dev.consentry.mitm;

/** How handsets reach mitmdump. */
public enum CaptureMode {
    /** The handset's proxy setting points at mitmdump (HTTP CONNECT for HTTPS). */
    REGULAR,
    /**
     * The handset has no proxy setting: its access point redirects TCP 80/443 to mitmdump with iptables REDIRECT
     * ({@code --mode transparent}). mitmdump then knows only the destination address; the host recorded for a flow is
     * its Host header (or the TLS SNI), and the client address tells which handset sent it.
     */
    TRANSPARENT
}
