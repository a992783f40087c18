package dev.consentry.twin;

import dev.consentry.twin.device.ContactsProvider;
import dev.consentry.twin.device.Settings;
import dev.consentry.twin.device.VirtualFileSystem;
import dev.consentry.twin.identity.Identity;
import dev.consentry.twin.net.TrafficEngine;
import dev.consentry.twin.shell.Shell;
import dev.consentry.twin.ui.HandsetUi;

/** One boot's worth of handset state (what a factory reset throws away), and the system running on it. */
record BootedParts(Identity identity, Settings settings, ContactsProvider contacts, VirtualFileSystem files,
                   HandsetUi ui, Shell shell, TrafficEngine traffic) {
}
