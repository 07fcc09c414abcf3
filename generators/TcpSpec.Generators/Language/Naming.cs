using System.Text;

namespace TcpSpec.Language;

/// <summary>How table names become C# identifiers and diagram-safe ids.</summary>
public static class Naming
{
    public const string Same = "same";
    public const string AnyState = "*";

    private static readonly HashSet<string> Keywords = new(StringComparer.Ordinal)
    {
        "abstract", "as", "base", "bool", "break", "byte", "case", "catch", "char", "checked", "class",
        "const", "continue", "decimal", "default", "delegate", "do", "double", "else", "enum", "event",
        "explicit", "extern", "false", "finally", "fixed", "float", "for", "foreach", "goto", "if",
        "implicit", "in", "int", "interface", "internal", "is", "lock", "long", "namespace", "new", "null",
        "object", "operator", "out", "override", "params", "private", "protected", "public", "readonly",
        "ref", "return", "sbyte", "sealed", "short", "sizeof", "stackalloc", "static", "string", "struct",
        "switch", "this", "throw", "true", "try", "typeof", "uint", "ulong", "unchecked", "unsafe",
        "ushort", "using", "virtual", "void", "volatile", "while",
    };

    /// <summary>Members of the machine class, emitted by the generator or added beside them by the runtime (names, rows, the table): a guard or action cannot take these names.</summary>
    public static readonly IReadOnlyCollection<string> GeneratedMembers = new HashSet<string>(StringComparer.Ordinal)
    {
        "Dispatch", "EvaluateGuard", "RunAction", "EnterState", "Enter", "Row", "Rows", "RowCount", "SpecFile",
        "StateNames", "EventNames", "GuardNames", "ActionNames", "CellRows", "MermaidDiagram", "MermaidCompactDiagram", "DotDiagram",
        "DiagramPaths", "DiagramStates", "DiagramEdges", "StateDocs", "EventDocs", "GuardDocs", "ActionDocs", "PathDocs",
        "Table", "TableData",
    };

    /// <summary>A state or event name: letters, digits, '-' and '_', starting with a letter or digit.</summary>
    public static bool IsValidTableName(string name, out string why)
    {
        why = "";
        if (name.Length == 0) { why = "it is empty"; return false; }
        if (string.Equals(name, Same, StringComparison.OrdinalIgnoreCase) || name == AnyState)
        {
            why = "it is reserved"; return false;
        }
        if (!char.IsLetterOrDigit(name[0])) { why = "it must start with a letter or digit"; return false; }
        foreach (char c in name)
        {
            if (!(IsAsciiLetterOrDigit(c) || c == '-' || c == '_'))
            {
                why = $"'{c}' is not allowed (use letters, digits, '-' and '_')"; return false;
            }
        }
        return true;
    }

    /// <summary>A guard or action name: a C# identifier that is not a keyword.</summary>
    public static bool IsValidIdentifier(string name, out string why)
    {
        why = "";
        if (name.Length == 0) { why = "it is empty"; return false; }
        if (!(char.IsLetter(name[0]) || name[0] == '_')) { why = "it must start with a letter"; return false; }
        foreach (char c in name)
        {
            if (!(IsAsciiLetterOrDigit(c) || c == '_')) { why = $"'{c}' is not allowed in a C# identifier"; return false; }
        }
        if (Keywords.Contains(name)) { why = "it is a C# keyword"; return false; }
        if (GeneratedMembers.Contains(name)) { why = "the generated machine class has a member of that name"; return false; }
        return true;
    }

    /// <summary>SYN-SENT → SynSent, FIN-WAIT-1 → FinWait1, OpenPassive → OpenPassive, 2MSL → _2Msl.</summary>
    public static string ToIdentifier(string name)
    {
        var sb = new StringBuilder(name.Length);
        foreach (var part in name.Split(new[] { '-', '_', ' ' }, StringSplitOptions.RemoveEmptyEntries))
        {
            bool allUpper = part.All(c => !char.IsLetter(c) || char.IsUpper(c));
            sb.Append(char.ToUpperInvariant(part[0]));
            sb.Append(allUpper ? part.Substring(1).ToLowerInvariant() : part.Substring(1));
        }
        if (sb.Length == 0) return "_";
        if (char.IsDigit(sb[0])) sb.Insert(0, '_');
        var id = sb.ToString();
        return Keywords.Contains(id) ? "@" + id : id;
    }

    /// <summary>An id safe in Mermaid and DOT: letters, digits and '_' only, never a reserved word.</summary>
    public static string ToDiagramId(string name)
    {
        var sb = new StringBuilder("s_");
        foreach (char c in name) sb.Append(IsAsciiLetterOrDigit(c) ? c : '_');
        return sb.ToString();
    }

    private static bool IsAsciiLetterOrDigit(char c) =>
        (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}
