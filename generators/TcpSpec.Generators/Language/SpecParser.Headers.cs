namespace TcpSpec.Language;

/// <summary>The parser's part that recognises a table by its header row, and the columns each kind of table has.</summary>
public static partial class SpecParser
{
    private sealed partial class ParsePass
    {
        private static DeclKind KindOf(string kind) => kind switch
        {
            "States" => DeclKind.State,
            "Events" => DeclKind.Event,
            "Guards" or ProfileGuards => DeclKind.Guard,
            _ => DeclKind.Action,
        };

        private static string? ClassifyHeader(string[] names)
        {
            if (names.Length == 0) return null;
            if (names.Length >= 2 && names[0] == "state" && names[1] == "event") return "Transitions";
            if (names.Length >= 2 && names[0] == "path" && names[1] == "states") return "Paths";
            if (OverlayKind(names) is { } overlay) return overlay;
            bool decl = names.Length >= 2 && names[1] == "meaning";
            if (!decl) return null;
            return names[0] switch
            {
                "state" or "states" => "States",
                "event" or "events" => "Events",
                "guard" or "guards" => "Guards",
                "profile-guard" or "profile-guards" => ProfileGuards,
                "action" or "actions" => "Actions",
                _ => null,
            };
        }

        /// <summary>The kind of a <c>| profile-guard | meaning | RFC |</c> table: guards declared for profile overlays' rows.</summary>
        private const string ProfileGuards = "ProfileGuards";

        /// <summary>"Deviations" or "Rows" for an overlay's table header, else null.</summary>
        private static string? OverlayKind(string[] names)
        {
            if (names.Length >= 2 && names[0] is "deviation" or "deviations" && names[1] == "observer") return "Deviations";
            if (names.Length >= 2 && names[0] == "edit" && names[1] == "state") return "Rows";
            return null;
        }

        private static int ColumnsOf(string kind) => kind switch
        {
            "Transitions" => TransitionHeader.Length,
            "Deviations" => 5,
            "Rows" => 8,
            _ => 3,
        };

        private static string OverlayHeader(string kind) => kind == "Deviations"
            ? "| deviation | observer | what the stack does | where in its source | RFC 9293 says instead |"
            : "| edit | state | event | guard | actions | next | deviation | RFC |";
    }
}
