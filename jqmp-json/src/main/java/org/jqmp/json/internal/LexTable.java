package org.jqmp.json.internal;

/**
 * The transition table of QEMU 7.2's JSON lexer ({@code qobject/json-lexer.c}, a DFA over bytes), rebuilt
 * entry by entry. A cell holds the next state; a state at or above {@link #TOKEN_MIN} is a finished token;
 * {@link #ERROR} is a lexical error; {@link #LOOKAHEAD} set means the byte was not consumed and must be
 * fed again from the next state (the token ended just before it).
 *
 * <p>Interpolation ({@code %d} and friends) exists only for QEMU's internal {@code qobject_from_jsonf}; on
 * QMP input the lexer starts in the plain start state, where {@code %} is an error, as here.
 */
public final class LexTable {
    public static final int ERROR = 0;
    public static final int RECOVERY = 1;
    static final int DQ_ESCAPE = 2;
    public static final int DQ_STRING = 3;
    static final int SQ_ESCAPE = 4;
    public static final int SQ_STRING = 5;
    static final int ZERO = 6;
    static final int EXP_DIGITS = 7;
    static final int EXP_SIGN = 8;
    static final int EXP_E = 9;
    static final int MANTISSA = 10;
    static final int MANTISSA_DIGITS = 11;
    static final int DIGITS = 12;
    static final int SIGN = 13;
    static final int KEYWORD_STATE = 14;
    public static final int START = 15;
    static final int STATES = 16;

    public static final int LCURLY = 100;
    public static final int TOKEN_MIN = LCURLY;
    public static final int RCURLY = 101;
    public static final int LSQUARE = 102;
    public static final int RSQUARE = 103;
    public static final int COLON = 104;
    public static final int COMMA = 105;
    public static final int INTEGER = 106;
    public static final int FLOAT = 107;
    public static final int KEYWORD = 108;
    public static final int STRING = 109;

    public static final int LOOKAHEAD = 0x80;

    /** {@code TABLE[state << 8 | byte]}, unsigned. */
    public static final byte[] TABLE = build();

    private LexTable() {
    }

    private static byte[] build() {
        int[][] t = new int[STATES][256]; // every cell starts as ERROR, as in json-lexer.c
        // Recovery after an error skips to a structural character, a control character other than
        // tab, or 0xFE/0xFF, and re-reads that byte from the start state (json-lexer.c IN_RECOVERY).
        fill(t[RECOVERY], 0x00, 0x1F, START | LOOKAHEAD);
        fill(t[RECOVERY], 0x20, 0xFD, RECOVERY);
        fill(t[RECOVERY], 0xFE, 0xFF, START | LOOKAHEAD);
        t[RECOVERY]['\t'] = RECOVERY;
        for (char c : "[]{}:,".toCharArray()) {
            t[RECOVERY][c] = START | LOOKAHEAD;
        }
        string(t, DQ_STRING, DQ_ESCAPE, '"');
        string(t, SQ_STRING, SQ_ESCAPE, '\'');
        // Numbers as RFC 8259 has them: -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][-+]?[0-9]+)?
        fill(t[ZERO], 0, 0xFF, INTEGER | LOOKAHEAD);
        fill(t[ZERO], '0', '9', ERROR);
        t[ZERO]['.'] = MANTISSA;
        fill(t[EXP_DIGITS], 0, 0xFF, FLOAT | LOOKAHEAD);
        fill(t[EXP_DIGITS], '0', '9', EXP_DIGITS);
        fill(t[EXP_SIGN], '0', '9', EXP_DIGITS);
        t[EXP_E]['-'] = EXP_SIGN;
        t[EXP_E]['+'] = EXP_SIGN;
        fill(t[EXP_E], '0', '9', EXP_DIGITS);
        fill(t[MANTISSA_DIGITS], 0, 0xFF, FLOAT | LOOKAHEAD);
        fill(t[MANTISSA_DIGITS], '0', '9', MANTISSA_DIGITS);
        t[MANTISSA_DIGITS]['e'] = EXP_E;
        t[MANTISSA_DIGITS]['E'] = EXP_E;
        fill(t[MANTISSA], '0', '9', MANTISSA_DIGITS);
        fill(t[DIGITS], 0, 0xFF, INTEGER | LOOKAHEAD);
        fill(t[DIGITS], '0', '9', DIGITS);
        t[DIGITS]['e'] = EXP_E;
        t[DIGITS]['E'] = EXP_E;
        t[DIGITS]['.'] = MANTISSA;
        t[SIGN]['0'] = ZERO;
        fill(t[SIGN], '1', '9', DIGITS);
        // Keywords: the lexer takes [a-z]+ and leaves rejecting all but true/false/null to the parser.
        fill(t[KEYWORD_STATE], 0, 0xFF, KEYWORD | LOOKAHEAD);
        fill(t[KEYWORD_STATE], 'a', 'z', KEYWORD_STATE);
        start(t[START]);
        byte[] flat = new byte[STATES * 256];
        for (int s = 0; s < STATES; s++) {
            for (int b = 0; b < 256; b++) {
                flat[s << 8 | b] = (byte) t[s][b];
            }
        }
        return flat;
    }

    /** Strings take bytes 0x20..0xFD; after a backslash any of those; decoding is the parser's job. */
    private static void string(int[][] t, int body, int escape, char quote) {
        fill(t[escape], 0x20, 0xFD, body);
        fill(t[body], 0x20, 0xFD, body);
        t[body]['\\'] = escape;
        t[body][quote] = STRING;
    }

    private static void start(int[] s) {
        s['"'] = DQ_STRING;
        s['\''] = SQ_STRING;
        s['0'] = ZERO;
        fill(s, '1', '9', DIGITS);
        s['-'] = SIGN;
        s['{'] = LCURLY;
        s['}'] = RCURLY;
        s['['] = LSQUARE;
        s[']'] = RSQUARE;
        s[','] = COMMA;
        s[':'] = COLON;
        fill(s, 'a', 'z', KEYWORD_STATE);
        for (char c : " \t\r\n".toCharArray()) {
            s[c] = START;
        }
    }

    private static void fill(int[] row, int from, int to, int value) {
        for (int b = from; b <= to; b++) {
            row[b] = value;
        }
    }
}
