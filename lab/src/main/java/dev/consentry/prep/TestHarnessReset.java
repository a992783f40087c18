package dev.consentry.prep;

import dev.consentry.profile.DeviceProfile;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Resets an Android 10+ handset with Test Harness Mode ({@code cmd testharness enable}) and waits, bounded, until a
 * new session reaches it on a new boot. The mode keeps the adb keys, so the lab gets the handset back without a
 * person; it also skips the setup wizard, so it is for the flows after first boot only, never before it.
 *
 * <p>The session the command runs in dies with the reboot (its UiAutomator2 server runs on the handset); the caller
 * gets a new one. A handset that still answers on the old boot has not begun its reset yet: its session is closed and
 * the wait goes on.
 *
 * @param <S> the session type (an Appium driver in the lab)
 */
public final class TestHarnessReset<S> {
    static final String BOOT_ID = "/proc/sys/kernel/random/boot_id";
    private static final Pattern UUID = Pattern.compile("[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}");

    /** How the reset reaches the handset: sessions through the Grid, and a shell in each. */
    public interface Sessions<S> {
        /** Opens a session; throws while the handset is off adb. */
        S open();

        Shell shell(S session);

        /** Ends a session; must not throw (a session whose server died is still deleted). */
        void close(S session);
    }

    private final Sessions<S> sessions;
    private final DeviceProfile profile;
    private final Duration timeout;
    private final Duration poll;
    private final Clock clock;

    public TestHarnessReset(Sessions<S> sessions, DeviceProfile profile, Duration timeout, Duration poll) {
        this(sessions, profile, timeout, poll, Clock.systemUTC());
    }

    TestHarnessReset(Sessions<S> sessions, DeviceProfile profile, Duration timeout, Duration poll, Clock clock) {
        this.sessions = Objects.requireNonNull(sessions, "sessions");
        this.profile = Objects.requireNonNull(profile, "profile");
        this.timeout = Objects.requireNonNull(timeout, "timeout");
        this.poll = Objects.requireNonNull(poll, "poll");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * Sends the reset in {@code current} (which is closed whatever happens) and returns a session on the handset once
     * it is back: a new boot, boot completed, provisioned.
     *
     * @throws PrepException when the handset refuses the command, or is not back within the time-out
     */
    public S reset(S current) {
        String before;
        try {
            Shell shell = sessions.shell(current);
            before = bootId(shell);
            String out = enable(shell);
            if (!out.isBlank()) {
                throw new PrepException("`cmd testharness enable` did not reset " + profile.udid() + ": "
                        + out.strip() + " (" + profile.source() + ": reset)");
            }
        } finally {
            sessions.close(current);
        }
        Instant deadline = clock.instant().plus(timeout);
        String last = "no attempt yet";
        while (true) {
            S s = null;
            try {
                s = sessions.open();
                Shell shell = sessions.shell(s);
                String now = bootId(shell);
                if (now.equals(before)) {
                    last = "still on the boot before the reset (" + now + ")";
                } else if (!shell.run("getprop", "sys.boot_completed").trim().equals("1")) {
                    last = "booting (sys.boot_completed is not 1)";
                } else if (!shell.run("settings", "get", "global", "device_provisioned").trim().equals("1")) {
                    last = "not provisioned after the reset (settings global device_provisioned is not 1)";
                } else {
                    S back = s;
                    s = null;
                    return back;
                }
            } catch (RuntimeException e) {
                last = firstLine(e.getMessage());
            } finally {
                if (s != null) {
                    sessions.close(s);
                }
            }
            if (!clock.instant().plus(poll).isBefore(deadline)) {
                throw new PrepException(profile.udid() + " was not back from Test Harness Mode's reset within "
                        + (timeout.toMillis() < 1000 ? timeout.toMillis() + " ms" : timeout.toSeconds() + " s")
                        + " (last: " + last + "); check the handset, and that its adb keys "
                        + "survived (" + profile.source() + ": reset)");
            }
            sleep();
        }
    }

    private static String enable(Shell shell) {
        try {
            return shell.run("cmd", "testharness", "enable");
        } catch (PrepException e) {
            // The handset may drop adb before the reply arrives: the wait below tells whether it reset.
            return "";
        }
    }

    private String bootId(Shell shell) {
        String id = shell.run("cat", BOOT_ID).trim();
        if (!UUID.matcher(id).matches()) {
            throw new PrepException("cannot tell the handset's boots apart: `cat " + BOOT_ID + "` printed '" + id
                    + "' (" + profile.source() + ": reset)");
        }
        return id;
    }

    private void sleep() {
        try {
            Thread.sleep(poll.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PrepException("interrupted while waiting for " + profile.udid() + " to come back", e);
        }
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
