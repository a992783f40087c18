package dev.consentry.twin.ui;

/** What a tap did; STALE when the element belongs to a screen no longer showing. */
public enum ClickOutcome { HANDLED, NOTHING_TO_DO, STALE }
