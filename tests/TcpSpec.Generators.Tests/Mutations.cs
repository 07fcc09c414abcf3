using FsCheck;
using FsCheck.Fluent;

namespace TcpSpec.Generators.Tests;

/// <summary>One random edit of a spec's text. Positions are taken modulo the text's size when applied.</summary>
public abstract record Mutation
{
    public abstract string Apply(string text);

    public sealed record DeleteLine(int Line) : Mutation
    {
        public override string Apply(string text) => WithLines(text, l => l.RemoveAt(Line % l.Count));
    }

    public sealed record DuplicateLine(int Line) : Mutation
    {
        public override string Apply(string text) => WithLines(text, l => l.Insert(Line % l.Count, l[Line % l.Count]));
    }

    public sealed record SwapLines(int A, int B) : Mutation
    {
        public override string Apply(string text) => WithLines(text, l => (l[A % l.Count], l[B % l.Count]) = (l[B % l.Count], l[A % l.Count]));
    }

    public sealed record InsertText(int Position, string Text) : Mutation
    {
        public override string Apply(string text) => text.Insert(Position % (text.Length + 1), Text);
    }

    public sealed record DeleteText(int Position, int Length) : Mutation
    {
        public override string Apply(string text)
        {
            if (text.Length == 0) return text;
            int at = Position % text.Length;
            return text.Remove(at, Math.Min(Length, text.Length - at));
        }
    }

    public sealed record Truncate(int Length) : Mutation
    {
        public override string Apply(string text) => text.Substring(0, Length % (text.Length + 1));
    }

    private static string WithLines(string text, Action<List<string>> edit)
    {
        var lines = text.Split('\n').ToList();
        edit(lines);
        return string.Join('\n', lines);
    }

    /// <summary>The characters and words the table language gives meaning to, and some it does not.</summary>
    private static readonly string[] Fragments =
    {
        "|", "|", "|", "!", "&", "*", "`", "**", "\\|", ",", "-", "—", " ", "\n", "\r\n", "#", "```", "~~~",
        " and ", "not ", "same", "x", "7", "é", "\t", "|---|", "| state | event | guard | actions | next | RFC |",
        "CLOSED", "LISTEN", "SYN", "AckBit", "Drop", "class", "\0",
    };

    private static Gen<int> Index => Gen.Choose(0, 1 << 20);

    public static Gen<string> Fragment => Gen.Elements(Fragments);

    public static Gen<Mutation> Any => Gen.OneOf(
        Index.Select(i => (Mutation)new DeleteLine(i)),
        Index.Select(i => (Mutation)new DuplicateLine(i)),
        Index.Zip(Index).Select(p => (Mutation)new SwapLines(p.Item1, p.Item2)),
        Index.Zip(Fragment).Select(p => (Mutation)new InsertText(p.Item1, p.Item2)),
        Index.Zip(Gen.Choose(1, 8)).Select(p => (Mutation)new DeleteText(p.Item1, p.Item2)),
        Index.Select(i => (Mutation)new Truncate(i)));

    /// <summary>One to five edits, mostly small ones; a whole-file truncation is rarer.</summary>
    public static Arbitrary<Mutation[]> Edits => Gen.Choose(1, 5).SelectMany(n => Any.ArrayOf(n)).ToArbitrary();

    /// <summary>Strings made of the table language's pieces: more likely to reach deep into the parser than random text.</summary>
    public static Arbitrary<string> TableLike => Fragment.ListOf().Select(f => string.Concat(f)).ToArbitrary();

    public static string ApplyAll(string text, IEnumerable<Mutation> edits) => edits.Aggregate(text, (t, m) => m.Apply(t));
}
