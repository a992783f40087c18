package dev.consentry.twin.net;

import dev.consentry.twin.device.ContactsProvider;
import dev.consentry.twin.device.DeviceEvent;
import dev.consentry.twin.device.Settings;
import dev.consentry.twin.device.VirtualFileSystem;
import dev.consentry.twin.firmware.Condition;
import dev.consentry.twin.firmware.Firmware;
import dev.consentry.twin.firmware.TrafficRule;
import dev.consentry.twin.firmware.Trigger;
import dev.consentry.twin.identity.Identity;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * The firmware's own network behaviour: listens to device events, fires the rules whose triggers match after their
 * delay, and sends what they render. Templates are filled when the request is made, so contacts planted after boot
 * are in an upload that happens after setup.
 */
public final class TrafficEngine implements AutoCloseable {
    private final Firmware firmware;
    private final Identity identity;
    private final ContactsProvider contacts;
    private final Settings settings;
    private final VirtualFileSystem files;
    private final RouteResolver routes;
    private final RequestRenderer renderer = new RequestRenderer();
    private final Uplink uplink;
    private final Consumer<String> log;
    private final ScheduledExecutorService scheduler;
    private final Set<TrafficRule> pending = ConcurrentHashMap.newKeySet();

    public TrafficEngine(Firmware firmware, Identity identity, ContactsProvider contacts, Settings settings,
                         VirtualFileSystem files, Optional<InetSocketAddress> internet, Hosts hosts,
                         Consumer<String> log) {
        this.firmware = firmware;
        this.identity = identity;
        this.contacts = contacts;
        this.settings = settings;
        this.files = files;
        this.routes = new RouteResolver(internet, hosts);
        this.uplink = new Uplink(log);
        this.log = log;
        AtomicInteger n = new AtomicInteger();
        this.scheduler = Executors.newScheduledThreadPool(2, r -> {
            Thread t = new Thread(r, "twin-" + identity.serial() + "-net-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    /** Starts the periodic rules; call once, at boot. */
    public void start() {
        for (TrafficRule rule : firmware.traffic()) {
            for (Trigger t : rule.triggers()) {
                if (t instanceof Trigger.IdleEvery every) {
                    long ms = every.period().toMillis();
                    scheduler.scheduleAtFixedRate(() -> fire(rule), ms + rule.delay().toMillis(), ms,
                            TimeUnit.MILLISECONDS);
                }
            }
        }
    }

    public void onEvent(DeviceEvent event) {
        for (TrafficRule rule : firmware.traffic()) {
            // Events in quick succession (three contacts inserted) coalesce into one request while it is pending,
            // as a sync adapter batches changes.
            if (rule.triggers().stream().anyMatch(t -> matches(t, event)) && pending.add(rule)) {
                try {
                    scheduler.schedule(() -> fire(rule), rule.delay().toMillis(), TimeUnit.MILLISECONDS);
                } catch (java.util.concurrent.RejectedExecutionException e) {
                    return; // shutting down
                }
            }
        }
    }

    private static boolean matches(Trigger t, DeviceEvent e) {
        if (t instanceof Trigger.Boot) {
            return e instanceof DeviceEvent.Booted;
        }
        if (t instanceof Trigger.ContactsChanged) {
            return e instanceof DeviceEvent.ContactsChanged;
        }
        if (t instanceof Trigger.SimInserted) {
            return e instanceof DeviceEvent.SimInserted;
        }
        if (t instanceof Trigger.SetupComplete) {
            return e instanceof DeviceEvent.SetupCompleted;
        }
        if (t instanceof Trigger.ScreenEntered s) {
            return e instanceof DeviceEvent.ScreenEntered se && se.screen().equals(s.screen());
        }
        if (t instanceof Trigger.Toggle tg) {
            return e instanceof DeviceEvent.SettingChanged sc && sc.setting().equals(tg.setting()) && sc.on() == tg.on();
        }
        return false;
    }

    private void fire(TrafficRule rule) {
        pending.remove(rule);
        List<Condition> unmet = rule.when().stream().filter(c -> !holds(c)).toList();
        if (!unmet.isEmpty()) {
            log.accept(rule.name() + ": not sent, " + unmet + " does not hold");
            return;
        }
        try {
            RenderedRequest request = renderer.render(rule,
                    new TemplateValues(identity, contacts.contacts(), firmware.properties()));
            // Trust before route: cleanup clears the proxy before it removes the CA, so a request that still sees
            // the proxy also still trusts it, as on a handset where both changes land in that order.
            Uplink.Trust trust = trust(rule);
            Route route = routes.resolve(settings.get(Settings.Namespace.GLOBAL, "http_proxy"),
                    rule.transport() != TrafficRule.Transport.DIRECT, rule.host(), rule.port());
            uplink.send(request, route, trust);
        } catch (RuntimeException e) {
            // A periodic task that throws is silently cancelled by the scheduler; keep the handset's behaviour going.
            log.accept(rule.method() + " " + rule.host() + ": internal error " + e);
        }
    }

    private boolean holds(Condition c) {
        Optional<String> v = settings.get(Settings.Namespace.SECURE, c.setting())
                .or(() -> settings.get(Settings.Namespace.GLOBAL, c.setting()));
        return v.map(String::trim).map("1"::equals).orElse(false) == c.on();
    }

    /** A pinning app ignores the handset's trust store; everything else trusts exactly what was pushed into it. */
    private Uplink.Trust trust(TrafficRule rule) {
        if (rule.transport() == TrafficRule.Transport.HTTPS_PINNED) {
            return new Uplink.Trust("pins:" + rule.pins(), PinnedTrust.sslContext(rule.pins()));
        }
        TrustStore.Anchors anchors = TrustStore.load(files, firmware.device().caDirectory(), log);
        return new Uplink.Trust("store:" + anchors.key(), TrustStore.sslContext(anchors));
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
        try {
            scheduler.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
