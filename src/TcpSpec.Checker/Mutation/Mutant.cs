using TcpSpec.Language;

namespace TcpSpec.Checker.Mutation;

/// <summary>
/// One mutant: an edit of the table text (replace <see cref="Length"/> characters at offset
/// <see cref="Start"/> by <see cref="Replacement"/>), shown at <see cref="Where"/>, with what it
/// does in words. <see cref="Row"/> is the line of the row it edits (the moved row for move-row).
/// </summary>
public sealed record Mutant(int Id, string Operator, SpecLocation Where, string Description, int Start, int Length, string Replacement)
{
    /// <summary>For <c>move-row</c>: the text is cut at <see cref="Start"/> and inserted at this offset (before the cut).</summary>
    public int InsertAt { get; init; } = -1;

    /// <summary>The line of the row the mutant edits.</summary>
    public int RowLine { get; init; }

    /// <summary>The mutated table text.</summary>
    public string Apply(string text)
    {
        if (InsertAt < 0) return text.Substring(0, Start) + Replacement + text.Substring(Start + Length);
        string moved = text.Substring(Start, Length);
        string without = text.Substring(0, Start) + text.Substring(Start + Length);
        return without.Substring(0, InsertAt) + moved + without.Substring(InsertAt);
    }

    public override string ToString() => $"{Where}: {Description}";
}
