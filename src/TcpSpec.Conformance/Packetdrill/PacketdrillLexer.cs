namespace TcpSpec.Conformance.Packetdrill;

internal enum TokenKind
{
    /// <summary>Letters, digits and underscores, not a number: <c>connect</c>, <c>S</c>, <c>SOCK_STREAM</c>.</summary>
    Word,
    /// <summary>A decimal integer, optionally negative.</summary>
    Integer,
    /// <summary>A decimal with a point: <c>0.100</c>, <c>.1</c>.</summary>
    Float,
    /// <summary><c>0x1f</c>.</summary>
    Hex,
    /// <summary><c>"..."</c>, text without the quotes.</summary>
    String,
    /// <summary><c>`...`</c>, a shell command, text without the quotes.</summary>
    BackQuoted,
    /// <summary><c>%{ ... }%</c>, a code snippet.</summary>
    Code,
    /// <summary><c>--name</c>, text without the dashes.</summary>
    Option,
    /// <summary><c>...</c>.</summary>
    Ellipsis,
    /// <summary>Any other single character.</summary>
    Punct,
    /// <summary>Past the last token of a statement.</summary>
    End,
}

/// <summary>One token: its kind and text, where it starts (1-based line and column, offset) and where it ends.</summary>
internal readonly record struct Token(TokenKind Kind, string Text, int Line, int Column, int Start, int End, int EndLine)
{
    public bool Is(char c) => Kind == TokenKind.Punct && Text.Length == 1 && Text[0] == c;

    public bool IsWord(string w) => Kind == TokenKind.Word && Text == w;

    public string Shown => Kind switch
    {
        TokenKind.String => "\"" + Text + "\"",
        TokenKind.BackQuoted => "`" + Text + "`",
        TokenKind.Code => "%{...}%",
        TokenKind.Option => "--" + Text,
        _ => Text,
    };
}

/// <summary>
/// Splits a packetdrill script into tokens the way packetdrill's lexer does (comments <c>//</c>
/// and <c>/* */</c> skipped, the longest match wins, numbers before words), with positions for
/// error messages. Throws only <see cref="PacketdrillSyntaxException"/>.
/// </summary>
internal static class PacketdrillLexer
{
    public static List<Token> Tokenize(string text)
    {
        var tokens = new List<Token>();
        int i = 0, line = 1, lineStart = 0;
        while (i < text.Length)
        {
            char c = text[i];
            if (c == '\n')
            {
                i++;
                line++;
                lineStart = i;
                continue;
            }
            if (c is ' ' or '\t' or '\r' or '\f' or '\v')
            {
                i++;
                continue;
            }
            int col = i - lineStart + 1;
            if (c == '/' && At(text, i + 1, '/'))
            {
                while (i < text.Length && text[i] != '\n') i++;
                continue;
            }
            if (c == '/' && At(text, i + 1, '*'))
            {
                int close = text.IndexOf("*/", i + 2, StringComparison.Ordinal);
                if (close < 0) throw new PacketdrillSyntaxException(line, col, "unterminated comment: '/*' without '*/'");
                Advance(text, i, close + 2, ref line, ref lineStart);
                i = close + 2;
                continue;
            }
            if (c == '%' && At(text, i + 1, '{'))
            {
                int close = text.IndexOf("}%", i + 2, StringComparison.Ordinal);
                if (close < 0) throw new PacketdrillSyntaxException(line, col, "unterminated code snippet: '%{' without '}%'");
                int startLine = line;
                Advance(text, i, close + 2, ref line, ref lineStart);
                tokens.Add(new Token(TokenKind.Code, text.Substring(i + 2, close - i - 2).Trim(), startLine, col, i, close + 2, line));
                i = close + 2;
                continue;
            }
            if (c is '"' or '`')
            {
                int j = i + 1;
                while (j < text.Length && text[j] != c)
                {
                    if (text[j] == '\\' && j + 1 < text.Length) j++;
                    j++;
                }
                if (j >= text.Length)
                    throw new PacketdrillSyntaxException(line, col, c == '"' ? "unterminated string: '\"' without its closing quote" : "unterminated shell command: '`' without its closing backquote");
                int startLine = line;
                Advance(text, i, j + 1, ref line, ref lineStart);
                tokens.Add(new Token(c == '"' ? TokenKind.String : TokenKind.BackQuoted, text.Substring(i + 1, j - i - 1), startLine, col, i, j + 1, line));
                i = j + 1;
                continue;
            }
            if (c == '.' && At(text, i + 1, '.') && At(text, i + 2, '.'))
            {
                tokens.Add(new Token(TokenKind.Ellipsis, "...", line, col, i, i + 3, line));
                i += 3;
                continue;
            }
            if (c == '-' && At(text, i + 1, '-') && i + 2 < text.Length && IsWordChar(text[i + 2]))
            {
                int j = i + 2;
                while (j < text.Length && IsWordChar(text[j])) j++;
                tokens.Add(new Token(TokenKind.Option, text.Substring(i + 2, j - i - 2), line, col, i, j, line));
                i = j;
                continue;
            }

            // Numbers and words: the longest match, a number on a tie (as flex orders the rules).
            int number = NumberLength(text, i, out var numberKind);
            int word = 0;
            while (i + word < text.Length && IsWordChar(text[i + word])) word++;
            if (number > 0 && number >= word)
            {
                tokens.Add(new Token(numberKind, text.Substring(i, number), line, col, i, i + number, line));
                i += number;
                continue;
            }
            if (word > 0)
            {
                tokens.Add(new Token(TokenKind.Word, text.Substring(i, word), line, col, i, i + word, line));
                i += word;
                continue;
            }
            // A surrogate pair stays one (meaningless) token rather than two halves.
            int len = char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]) ? 2 : 1;
            tokens.Add(new Token(TokenKind.Punct, text.Substring(i, len), line, col, i, i + len, line));
            i += len;
        }
        return tokens;
    }

    private static bool At(string s, int i, char c) => i < s.Length && s[i] == c;

    private static bool IsWordChar(char c) => c is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or (>= '0' and <= '9') or '_';

    private static bool IsDigit(char c) => c is >= '0' and <= '9';

    private static bool IsHexDigit(char c) => IsDigit(c) || c is (>= 'a' and <= 'f') or (>= 'A' and <= 'F');

    /// <summary>The length of the number at <paramref name="i"/> (0 if none): <c>0x1f</c>, <c>-12</c>, <c>-0.5</c>, <c>.1</c>.</summary>
    private static int NumberLength(string s, int i, out TokenKind kind)
    {
        kind = TokenKind.Integer;
        if (At(s, i, '0') && (At(s, i + 1, 'x') || At(s, i + 1, 'X')) && i + 2 < s.Length && IsHexDigit(s[i + 2]))
        {
            int h = i + 2;
            while (h < s.Length && IsHexDigit(s[h])) h++;
            kind = TokenKind.Hex;
            return h - i;
        }
        int j = i;
        if (At(s, j, '-')) j++;
        int digits = j;
        while (j < s.Length && IsDigit(s[j])) j++;
        bool intPart = j > digits;
        if (At(s, j, '.') && j + 1 < s.Length && IsDigit(s[j + 1]))
        {
            j++;
            while (j < s.Length && IsDigit(s[j])) j++;
            kind = TokenKind.Float;
            return j - i;
        }
        return intPart ? j - i : 0;
    }

    private static void Advance(string text, int from, int to, ref int line, ref int lineStart)
    {
        for (int k = from; k < to; k++)
        {
            if (text[k] == '\n')
            {
                line++;
                lineStart = k + 1;
            }
        }
    }
}
