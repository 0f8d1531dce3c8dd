package org.jqmp.machine.chardev;

import java.util.ArrayList;
import java.util.List;

/**
 * QEMU's HMP line editor ({@code util/readline.c}, 7.2) without completion: a line with a cursor, the keys QEMU's
 * editor knows (Ctrl-A/E home and end, Ctrl-D and Delete, Backspace, Ctrl-W a word back, the arrows, up/down through
 * the history of 64 lines, Home/End/Delete as {@code ESC [ 1~}, {@code 3~}, {@code 4~} and {@code ESC O H}/{@code F};
 * observed: not Ctrl-P/N), and after every key the redraw {@code readline_update} sends: back over the old line, the
 * new one, clear to the end of the screen line, then the cursor moved to its place. Tab (completion) does nothing.
 */
final class LineEditor {
    /** {@code READLINE_CMD_BUF_SIZE} less the NUL: a longer line is cut. */
    static final int MAX_LINE = 4095;
    /** {@code READLINE_MAX_CMDS}. */
    static final int MAX_HISTORY = 64;

    private enum Escape { NONE, ESC, CSI, SS3 }

    private final StringBuilder line = new StringBuilder();
    private int cursor;
    /** What the terminal shows ({@code last_cmd_buf}) and where its cursor is. */
    private String shown = "";
    private int shownCursor;
    private final List<String> history = new ArrayList<>();
    /** The history line being shown, or -1 for the line being typed ({@code hist_entry}). */
    private int historyEntry = -1;
    private Escape escape = Escape.NONE;
    private int escapeParam;

    /** {@code readline_restart}: an empty line, shown as empty (after a prompt). */
    void restart() {
        line.setLength(0);
        cursor = 0;
        shown = "";
        shownCursor = 0;
    }

    /**
     * {@code readline_handle_byte}: one key. Returns the finished line on Enter (the editor is then empty again),
     * otherwise null; what the terminal must show is appended to {@code screen}.
     */
    String key(int b, StringBuilder screen) {
        switch (escape) {
            case NONE -> {
                String done = plain(b);
                if (done != null) {
                    return done;
                }
            }
            case ESC -> {
                escape = b == '[' ? Escape.CSI : b == 'O' ? Escape.SS3 : Escape.NONE;
                escapeParam = 0;
            }
            case CSI -> {
                if (b >= '0' && b <= '9') {
                    escapeParam = escapeParam * 10 + (b - '0');
                    return null;
                }
                csi(b);
                escape = Escape.NONE;
            }
            case SS3 -> {
                if (b == 'F') {
                    cursor = line.length();
                } else if (b == 'H') {
                    cursor = 0;
                }
                escape = Escape.NONE;
            }
        }
        update(screen);
        return null;
    }

    private String plain(int b) {
        switch (b) {
            case 1 -> cursor = 0;
            case 4 -> deleteChar();
            case 5 -> cursor = line.length();
            case 10, 13 -> {
                String done = line.toString();
                addToHistory(done);
                restart();
                return done;
            }
            case 23 -> backWord();
            case 27 -> escape = Escape.ESC;
            case 8, 127 -> {
                if (cursor > 0) {
                    line.deleteCharAt(--cursor);
                }
            }
            case 155 -> escape = Escape.CSI;
            default -> {
                if (b >= 32 && line.length() < MAX_LINE) {
                    line.insert(cursor++, (char) b);
                }
            }
        }
        return null;
    }

    private void csi(int b) {
        switch (b) {
            case 'A', 'F' -> up();
            case 'B', 'E' -> down();
            case 'D' -> cursor = Math.max(0, cursor - 1);
            case 'C' -> cursor = Math.min(line.length(), cursor + 1);
            case '~' -> {
                switch (escapeParam) {
                    case 1 -> cursor = 0;
                    case 3 -> deleteChar();
                    case 4 -> cursor = line.length();
                    default -> { }
                }
            }
            default -> { }
        }
    }

    private void deleteChar() {
        if (cursor < line.length()) {
            line.deleteCharAt(cursor);
        }
    }

    /** {@code readline_backword}: the spaces before the cursor, then the word before them. */
    private void backWord() {
        if (cursor == 0) {
            return;
        }
        int start = cursor - 1;
        while (start >= 0 && Character.isWhitespace(line.charAt(start))) {
            start--;
        }
        while (start >= 0 && !Character.isWhitespace(line.charAt(start))) {
            start--;
        }
        start++;
        line.delete(start, cursor);
        cursor = start;
    }

    /** {@code readline_up_char}. */
    private void up() {
        if (historyEntry == 0) {
            return;
        }
        historyEntry = (historyEntry == -1 ? history.size() : historyEntry) - 1;
        if (historyEntry >= 0) {
            show(history.get(historyEntry));
        }
    }

    /** {@code readline_down_char}: past the newest line, an empty one. */
    private void down() {
        if (historyEntry == -1) {
            return;
        }
        if (++historyEntry < history.size()) {
            show(history.get(historyEntry));
        } else {
            historyEntry = -1;
            show("");
        }
    }

    private void show(String text) {
        line.setLength(0);
        line.append(text);
        cursor = line.length();
    }

    /** {@code readline_hist_add}: a line already there moves to the end; the oldest goes past 64. */
    private void addToHistory(String done) {
        if (done.isEmpty()) {
            return;
        }
        history.remove(done);
        history.add(done);
        if (history.size() > MAX_HISTORY) {
            history.removeFirst();
        }
        historyEntry = -1;
    }

    /** {@code readline_update}. */
    private void update(StringBuilder screen) {
        String now = line.toString();
        if (!now.equals(shown)) {
            screen.append("\033[D".repeat(shownCursor)).append(now).append("\033[K");
            shown = now;
            shownCursor = now.length();
        }
        if (cursor != shownCursor) {
            screen.append((cursor > shownCursor ? "\033[C" : "\033[D").repeat(Math.abs(cursor - shownCursor)));
            shownCursor = cursor;
        }
    }
}
