package dev.consentry.twin.ui;

/** Screen rectangle in pixels, printed as UiAutomator prints it: "[x1,y1][x2,y2]". */
public record Bounds(int left, int top, int right, int bottom) {
    public int width() {
        return right - left;
    }

    public int height() {
        return bottom - top;
    }

    @Override
    public String toString() {
        return "[" + left + "," + top + "][" + right + "," + bottom + "]";
    }
}
