package dev.consentry.twin.firmware;

/** Hardware facts and where the firmware looks for user-added CA certificates. */
public record DeviceSpec(String manufacturer, String model, int width, int height, int density, String caDirectory) {
}
