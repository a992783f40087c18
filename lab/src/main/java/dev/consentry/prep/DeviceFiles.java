package dev.consentry.prep;

/** Pushing a file to the handset ({@code mobile: pushFile}); separate from {@link Shell} because adb push is. */
@FunctionalInterface
public interface DeviceFiles {
    void push(String remotePath, byte[] content);
}
