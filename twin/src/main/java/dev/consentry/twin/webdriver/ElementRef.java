package dev.consentry.twin.webdriver;

/** What a W3C element id stands for: a view on the screen of one generation. */
record ElementRef(long generation, String key) {
}
