package dev.consentry.profile;

/** Which family of setup-wizard and settings screens a handset shows; selects the page objects. */
public enum UiDialect { MIUI, AOSP, ONE_UI }
