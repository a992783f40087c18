package dev.consentry.twin.shell;

import dev.consentry.twin.identity.Identity;

import java.util.List;
import java.util.Map;

/**
 * {@code dumpsys} and {@code service} as far as the phone-subscriber service goes. Which binder transaction code
 * returns what differs between Android versions, so the codes come from the firmware file.
 */
final class TelephonyPrograms {
    private static final String SERVICE = "iphonesubinfo";

    private final Identity identity;
    private final Map<String, Map<Integer, String>> serviceCalls;

    private final boolean cmdGetImei;

    TelephonyPrograms(Identity identity, Map<String, Map<Integer, String>> serviceCalls, int sdk) {
        this.identity = identity;
        this.serviceCalls = serviceCalls;
        this.cmdGetImei = sdk >= 34;
    }

    String dumpsys(List<String> args) {
        if (args.isEmpty()) {
            return "Currently running services:\n  " + String.join("\n  ", serviceCalls.keySet()) + "\n";
        }
        if (!args.get(0).equals(SERVICE)) {
            return "Can't find service: " + args.get(0) + "\n";
        }
        // Android 4.4's PhoneSubInfo.dump() layout.
        return "Phone Subscriber Info:\n  Phone Type = GSM\n  Device ID = " + identity.imei() + "\n";
    }

    /** {@code cmd phone get-imei SLOT}: Android 14 added it; older builds do not know the command. */
    String cmd(List<String> args) {
        if (args.size() >= 2 && args.get(0).equals("phone") && args.get(1).equals("get-imei")) {
            if (!cmdGetImei) {
                return "Unknown command: get-imei\n";
            }
            return "Device IMEI:" + identity.imei() + "\n";
        }
        return args.isEmpty() ? "cmd: no service specified\n" : "cmd: Can't find service: " + args.get(0) + "\n";
    }

    String service(List<String> args) {
        if (args.isEmpty()) {
            return "Usage: service [-h|-?]\n       service list\n       service check SERVICE\n"
                    + "       service call SERVICE CODE [i32 INT | s16 STR] ...\n";
        }
        if (args.get(0).equals("list")) {
            StringBuilder out = new StringBuilder("Found " + serviceCalls.size() + " services:\n");
            int i = 0;
            for (String s : serviceCalls.keySet()) {
                out.append(i++).append('\t').append(s).append(": [com.android.internal.telephony.IPhoneSubInfo]\n");
            }
            return out.toString();
        }
        if (!args.get(0).equals("call") || args.size() < 3) {
            return service(List.of());
        }
        Map<Integer, String> codes = serviceCalls.get(args.get(1));
        if (codes == null) {
            return "service: Service " + args.get(1) + " does not exist\n";
        }
        int code;
        try {
            code = Integer.parseInt(args.get(2));
        } catch (NumberFormatException e) {
            return "service: Service " + args.get(1) + " does not exist\n";
        }
        String what = codes.get(code);
        if (what == null) {
            // A code past the interface's last method: the stub answers with an empty reply.
            return Parcel.dump(List.of(0));
        }
        return Parcel.string16Reply(switch (what) {
            case "device_id" -> identity.imei();
            case "line1_number" -> identity.phoneNumber();
            default -> null;
        });
    }
}
