package dev.consentry.twin.render;

import dev.consentry.twin.ui.Bounds;
import dev.consentry.twin.ui.UiNode;
import dev.consentry.twin.ui.UiSnapshot;

import javax.imageio.ImageIO;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;

/**
 * Draws a snapshot the way the suites' reports want to see it: every title, text, button and checkbox visible, so a
 * screenshot attached to a failure shows which consent was on screen. Runs headless (no display needed).
 */
public final class ScreenshotRenderer {
    private static final Color BACKGROUND = new Color(0xF7F7F7);
    private static final Color STATUS = new Color(0x222222);
    private static final Color ACCENT = new Color(0xFF6700); // MIUI orange
    private static final Color TEXT = new Color(0x333333);
    private static final Color SUBTLE = new Color(0x777777);
    private static final String FONT = "DejaVu Sans";

    public byte[] png(UiSnapshot snapshot) {
        BufferedImage img = new BufferedImage(snapshot.width(), snapshot.height(), BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(BACKGROUND);
            g.fillRect(0, 0, snapshot.width(), snapshot.height());
            statusBar(g, snapshot.width());
            for (UiNode n : snapshot.root().flatten()) {
                draw(g, n);
            }
        } finally {
            g.dispose();
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ImageIO.write(img, "png", out);
        } catch (IOException e) {
            throw new IllegalStateException("PNG encoding into memory failed", e);
        }
        return out.toByteArray();
    }

    private static void statusBar(Graphics2D g, int width) {
        g.setColor(STATUS);
        g.fillRect(0, 0, width, 50);
        g.setColor(Color.WHITE);
        g.setFont(new Font(FONT, Font.PLAIN, 24));
        g.drawString(LocalTime.now().format(DateTimeFormatter.ofPattern("HH:mm")), width - 90, 35);
    }

    private static void draw(Graphics2D g, UiNode n) {
        Bounds b = n.bounds();
        switch (n.className()) {
            case "android.widget.CheckBox", "android.widget.Switch" -> checkbox(g, n, b);
            case "android.widget.Button" -> {
                g.setColor(ACCENT);
                g.fillRoundRect(b.left(), b.top(), b.width(), b.height(), 16, 16);
                g.setColor(Color.WHITE);
                centred(g, n.text(), b, new Font(FONT, Font.BOLD, 34));
            }
            case "android.widget.TextView" -> {
                boolean title = n.resourceId().endsWith(":id/title") || n.resourceId().endsWith(":id/alertTitle");
                if (n.clickable()) {
                    // A launcher icon: a tile with the app's initial above its label.
                    g.setColor(ACCENT);
                    int s = 110;
                    int x = b.left() + (b.width() - s) / 2;
                    g.fillRoundRect(x, b.top() + 10, s, s, 28, 28);
                    g.setColor(Color.WHITE);
                    centred(g, n.text().substring(0, 1), new Bounds(x, b.top() + 10, x + s, b.top() + 10 + s),
                            new Font(FONT, Font.BOLD, 56));
                    g.setColor(TEXT);
                    centred(g, n.text(), new Bounds(b.left(), b.top() + 130, b.right(), b.bottom()),
                            new Font(FONT, Font.PLAIN, 26));
                } else {
                    g.setColor(title ? TEXT : SUBTLE);
                    wrapped(g, n.text(), b, new Font(FONT, title ? Font.BOLD : Font.PLAIN, title ? 48 : 30));
                }
            }
            default -> {
            }
        }
    }

    private static void checkbox(Graphics2D g, UiNode n, Bounds b) {
        int box = 56;
        int x = b.right() - box - 8;
        int y = b.top() + (b.height() - box) / 2;
        g.setColor(Color.WHITE);
        g.fillRoundRect(b.left(), b.top(), b.width(), b.height(), 12, 12);
        g.setColor(TEXT);
        g.setFont(new Font(FONT, Font.PLAIN, 34));
        FontMetrics fm = g.getFontMetrics();
        g.drawString(n.text(), b.left() + 24, b.top() + (b.height() + fm.getAscent() - fm.getDescent()) / 2);
        g.setStroke(new BasicStroke(4));
        if (n.checked()) {
            g.setColor(ACCENT);
            g.fillRoundRect(x, y, box, box, 10, 10);
            g.setColor(Color.WHITE);
            g.setStroke(new BasicStroke(7, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
            g.drawPolyline(new int[]{x + 12, x + 24, x + 44}, new int[]{y + 29, y + 41, y + 15}, 3);
        } else {
            g.setColor(SUBTLE);
            g.drawRoundRect(x, y, box, box, 10, 10);
        }
    }

    private static void centred(Graphics2D g, String text, Bounds b, Font font) {
        g.setFont(font);
        FontMetrics fm = g.getFontMetrics();
        g.drawString(text, b.left() + (b.width() - fm.stringWidth(text)) / 2,
                b.top() + (b.height() + fm.getAscent() - fm.getDescent()) / 2);
    }

    private static void wrapped(Graphics2D g, String text, Bounds b, Font font) {
        g.setFont(font);
        FontMetrics fm = g.getFontMetrics();
        int y = b.top() + fm.getAscent();
        StringBuilder line = new StringBuilder();
        for (String word : text.split(" ")) {
            String candidate = line.isEmpty() ? word : line + " " + word;
            if (fm.stringWidth(candidate) > b.width() && !line.isEmpty()) {
                g.drawString(line.toString(), b.left(), y);
                y += fm.getHeight();
                line = new StringBuilder(word);
            } else {
                line = new StringBuilder(candidate);
            }
        }
        g.drawString(line.toString(), b.left(), y);
    }
}
