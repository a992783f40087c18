package dev.consentry.pages;

import org.openqa.selenium.By;
import org.openqa.selenium.SearchContext;
import org.openqa.selenium.WebElement;

import java.util.List;
import java.util.Optional;

/**
 * A control found by resource-id first, then by fallbacks (text, content-desc) that survive a vendor renaming an id
 * in a minor firmware update. The description names every strategy tried, so a miss is easy to fix.
 */
public record Locator(String description, List<By> strategies) {
    public Locator {
        strategies = List.copyOf(strategies);
    }

    public static Locator of(String description, By... strategies) {
        return new Locator(description, List.of(strategies));
    }

    public Optional<WebElement> find(SearchContext context) {
        for (By by : strategies) {
            List<WebElement> found = context.findElements(by);
            if (!found.isEmpty()) {
                return Optional.of(found.get(0));
            }
        }
        return Optional.empty();
    }

    @Override
    public String toString() {
        return description + " " + strategies;
    }
}
