package dev.consentry.twin;

import dev.consentry.twin.firmware.FirmwareException;
import dev.consentry.twin.firmware.FirmwareLoader;
import dev.consentry.twin.net.Hosts;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;

/**
 * Runs one virtual handset until killed:
 * {@code --firmware NAME|--firmware-file PATH --serial S [--port P] [--bind ADDRESS] [--internet HOST:PORT] [--host NAME=ADDRESS]...
 * [--imei N] [--phone +91...] [--no-shell]}.
 */
public final class TwinMain {
    private TwinMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        System.setProperty("java.awt.headless", "true");
        VirtualHandset.Builder b = VirtualHandset.builder();
        try {
            parse(List.of(args), b);
        } catch (IllegalArgumentException | FirmwareException e) {
            System.err.println("twin: " + e.getMessage());
            System.err.println("usage: TwinMain --firmware NAME|--firmware-file PATH --serial SERIAL [--port P] [--bind ADDRESS] "
                    + "[--internet HOST:PORT] [--host NAME=ADDRESS]... [--imei IMEI] [--phone NUMBER] [--no-shell]");
            System.exit(2);
        }
        VirtualHandset twin = b.start();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            twin.close();
            stopped.countDown();
        }));
        // One line a supervisor can wait for.
        System.out.println("twin " + twin.serial() + " (" + twin.firmwareName() + ") listening on " + twin.uri());
        stopped.await();
    }

    static void parse(List<String> args, VirtualHandset.Builder b) {
        Map<String, InetAddress> hosts = new LinkedHashMap<>();
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (a.equals("--no-shell")) {
                b.withAllowShell(false);
                continue;
            }
            if (i + 1 >= args.size()) {
                throw new IllegalArgumentException("missing value after " + a);
            }
            String v = args.get(++i);
            switch (a) {
                case "--firmware" -> b.withFirmware(v);
                case "--firmware-file" -> {
                    Path file = Path.of(v);
                    try {
                        b.withFirmware(FirmwareLoader.parse(file.toString(), Files.readString(file)));
                    } catch (IOException e) {
                        throw new IllegalArgumentException("cannot read firmware file " + file + ": " + e);
                    }
                }
                case "--host" -> {
                    Map.Entry<String, InetAddress> e = Hosts.entry(v);
                    hosts.put(e.getKey(), e.getValue());
                }
                case "--serial" -> b.withSerial(v);
                case "--bind" -> {
                    if (!v.matches("[0-9.]+|[0-9a-fA-F:]+")) {
                        throw new IllegalArgumentException("--bind expects an IP address, got '" + v + "'");
                    }
                    try {
                        b.withBindAddress(InetAddress.getByName(v));
                    } catch (java.net.UnknownHostException e) {
                        throw new IllegalArgumentException("--bind expects an IP address, got '" + v + "'");
                    }
                }
                case "--port" -> {
                    try {
                        b.withPort(Integer.parseInt(v));
                    } catch (NumberFormatException e) {
                        throw new IllegalArgumentException("--port expects a number, got '" + v + "'");
                    }
                }
                case "--internet" -> {
                    int colon = v.lastIndexOf(':');
                    if (colon < 0) {
                        throw new IllegalArgumentException("--internet expects HOST:PORT, got '" + v + "'");
                    }
                    b.withInternet(Optional.of(new InetSocketAddress(v.substring(0, colon),
                            Integer.parseInt(v.substring(colon + 1)))));
                }
                case "--imei" -> b.withImei(v);
                case "--phone" -> b.withPhoneNumber(v);
                default -> throw new IllegalArgumentException("unknown option " + a);
            }
        }
        b.withHosts(hosts);
    }
}
