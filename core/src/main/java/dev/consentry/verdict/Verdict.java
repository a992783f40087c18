package dev.consentry.verdict;

/** A test's outcome. INCONCLUSIVE is never a pass: it means the lab could not see enough to judge. */
public enum Verdict { PASS, FAIL, INCONCLUSIVE }
