using FsCheck;
using FsCheck.Fluent;
using TcpSpec.Conformance.Packetdrill;

namespace TcpSpec.Conformance.Tests.Packetdrill;

/// <summary>
/// FsCheck feeds the reader random and mutated scripts: it either reads them or refuses them with
/// a <see cref="PacketdrillSyntaxException"/> at a line of the input, never another exception;
/// whatever it reads, the runner runs without throwing. And the scripts' outcome does not depend
/// on the ISNs the runner picks: the numbers are relative, as in packetdrill.
/// </summary>
public class RobustnessProperties
{
    private static readonly Config Quick = Config.QuickThrowOnFailure.WithMaxTest(300);

    private static readonly Lazy<string[]> OurScripts = new(() => ScriptSuiteTests.ScriptFiles().Select(File.ReadAllText).ToArray());

    [Fact]
    public void Random_strings_are_read_or_refused_at_a_line() =>
        Check.One(Quick, Prop.ForAll(ArbMap.Default.ArbFor<string>(), ReadsOrRefuses));

    [Fact]
    public void Strings_of_script_pieces_are_read_or_refused_at_a_line() =>
        Check.One(Quick, Prop.ForAll(Fragment.ListOf().Select(f => string.Concat(f)).ToArbitrary(), ReadsOrRefuses));

    [Fact]
    public void Mutations_of_our_scripts_are_read_or_refused_at_a_line() =>
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(500), Prop.ForAll(
            Gen.Choose(0, 1 << 20).Zip(Edits).ToArbitrary(),
            p =>
            {
                var scripts = OurScripts.Value;
                ReadsOrRefuses(p.Item2.Aggregate(scripts[p.Item1 % scripts.Length], (t, m) => m(t)));
            }));

    [Fact]
    public void Random_well_formed_lines_run_without_throwing() =>
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(500), Prop.ForAll(
            Line.ListOf().Select(lines => "0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n" + string.Join("\n", lines)).ToArbitrary(),
            text =>
            {
                var script = PacketdrillParser.Parse(text); // every generated line is well formed
                var r = PacketdrillRunner.Run(script);
                if (r.Failure is { } f) Assert.Contains(script.Lines, l => l.Line == f.Line);
            }));

    [Fact]
    public void Our_scripts_pass_whatever_the_initial_sequence_numbers() =>
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(40), Prop.ForAll(
            (from local in ArbMap.Default.ArbFor<uint>().Generator
             from remote in ArbMap.Default.ArbFor<uint>().Generator
             from edge in Gen.Elements(0u, 0x7FFF_FFFFu, 0xFFFF_FFFFu, 0xFFFF_FFF0u)
             select (Local: local ^ edge, Remote: remote + edge)).ToArbitrary(),
            isns =>
            {
                // Random ISNs, and ones next to the 2^31 and 2^32 boundaries where relative numbers wrap.
                var options = new PacketdrillOptions { LocalIss = isns.Local, RemoteIsn = isns.Remote };
                foreach (var text in OurScripts.Value)
                {
                    var r = PacketdrillRunner.Run(PacketdrillParser.Parse(text), options);
                    Assert.True(r.Passed, $"ISS {options.LocalIss}, remote ISN {options.RemoteIsn}:\n{PacketdrillReport.Format(r)}");
                }
            }));

    /// <summary>Read it: a refusal points inside the text; a script it reads runs without throwing.</summary>
    private static void ReadsOrRefuses(string? text)
    {
        text ??= "";
        int lines = text.Count(c => c == '\n') + 1;
        Script script;
        try
        {
            script = PacketdrillParser.Parse(text);
        }
        catch (PacketdrillSyntaxException ex)
        {
            Assert.InRange(ex.Line, 1, lines);
            Assert.True(ex.Column >= 1, $"column {ex.Column}");
            Assert.False(string.IsNullOrWhiteSpace(ex.Reason));
            return;
        }
        var r = PacketdrillRunner.Run(script);
        if (r.Failure is { } f) Assert.InRange(f.Line, 1, lines);
    }

    // ---- generators --------------------------------------------------------------------------

    /// <summary>Pieces of packetdrill's syntax and some it has no meaning for.</summary>
    private static readonly string[] Fragments =
    [
        "<", ">", " ", " ", " ", "\n", "\n", "S", "S.", ".", "F.", "R", "R.", "P.", "SF", "-", "0:0(0)", "1:1(0)", "1:1001(1000)", "2:2(0)",
        "ack ", "win ", "1", "0", "65535", "+", "+0", "+.1", "*", "~", "...", "(", ")", "[", "]", "{", "}", "`", "%{", "}%", "/*", "*/", "//",
        ",", "=", "= 0", "-1", "EAGAIN", "EINPROGRESS", "socket(..., SOCK_STREAM, IPPROTO_TCP) = 3", "close(4)", "read(4, ..., 10)",
        "write(4, ..., 10)", "connect(3, ..., ...)", "accept(3, ..., ...) = 4", "listen(3, 1) = 0", "shutdown(4, SHUT_WR)",
        "setsockopt(4, SOL_SOCKET, SO_LINGER, {onoff=1, linger=0}, 8)", "99999999999", "4294967295", "65536", "0x1f", "\"", "é",
        "\0", "\r\n", "--tolerance_usecs=", "--x", "<mss 1000>", "<...>", "0.100", "+0...0.1 ", "😀",
    ];

    private static Gen<string> Fragment => Gen.Elements(Fragments);

    private static Gen<int> Index => Gen.Choose(0, 1 << 20);

    /// <summary>One to five edits of a script's text: lines deleted, duplicated, swapped; text inserted, deleted, truncated.</summary>
    private static Gen<Func<string, string>[]> Edits => Gen.Choose(1, 5).SelectMany(n => Gen.OneOf(
        Index.Select(i => (Func<string, string>)(t => WithLines(t, l => l.RemoveAt(i % l.Count)))),
        Index.Select(i => (Func<string, string>)(t => WithLines(t, l => l.Insert(i % l.Count, l[i % l.Count])))),
        Index.Zip(Index).Select(p => (Func<string, string>)(t => WithLines(t, l => (l[p.Item1 % l.Count], l[p.Item2 % l.Count]) = (l[p.Item2 % l.Count], l[p.Item1 % l.Count])))),
        Index.Zip(Fragment).Select(p => (Func<string, string>)(t => t.Insert(p.Item1 % (t.Length + 1), p.Item2))),
        Index.Zip(Gen.Choose(1, 8)).Select(p => (Func<string, string>)(t => t.Length == 0 ? t : t.Remove(p.Item1 % t.Length, Math.Min(p.Item2, t.Length - p.Item1 % t.Length)))),
        Index.Select(i => (Func<string, string>)(t => t[..(i % (t.Length + 1))])),
        Index.Zip(Gen.Choose(0, 70_000)).Select(p => (Func<string, string>)(t => ReplaceNumber(t, p.Item1, p.Item2)))).ArrayOf(n));

    private static string WithLines(string text, Action<List<string>> edit)
    {
        var lines = text.Split('\n').ToList();
        edit(lines);
        return string.Join('\n', lines);
    }

    /// <summary>Replaces one of the text's numbers (a sequence number, a time, a count) by another.</summary>
    private static string ReplaceNumber(string text, int which, int value)
    {
        var numbers = System.Text.RegularExpressions.Regex.Matches(text, @"\d+");
        if (numbers.Count == 0) return text;
        var m = numbers[which % numbers.Count];
        return text[..m.Index] + value + text[(m.Index + m.Length)..];
    }

    /// <summary>A well-formed line: a socket call or a packet in either direction, at a random time.</summary>
    private static Gen<string> Line
    {
        get
        {
            var time = Gen.Elements("+0", "+0", "+.01", "+.5", "+1", "+3", "+250", "0.001");
            var fd = Gen.Elements(3, 4, 5);
            var n = Gen.Elements(0, 1, 10, 600, 3000);
            var result = Gen.Elements("0", "-1 EAGAIN (x)", "-1 EINPROGRESS (x)", "-1 ECONNRESET (x)", "-1 EPIPE (x)", "4", "10", "-1 ENOTCONN (x)");
            var call = Gen.OneOf(
                Gen.Constant("bind(3, ..., ...)"),
                Gen.Constant("listen(3, 1)"),
                Gen.Constant("connect(3, ..., ...)"),
                Gen.Constant("accept(3, ..., ...)"),
                Gen.Constant("socket(..., SOCK_STREAM, IPPROTO_TCP)"),
                fd.Select(f => $"close({f})"),
                from f in fd from how in Gen.Elements("SHUT_WR", "SHUT_RD", "SHUT_RDWR") select $"shutdown({f}, {how})",
                from f in fd from onoff in Gen.Elements(0, 1) select $"setsockopt({f}, SOL_SOCKET, SO_LINGER, {{onoff={onoff}, linger=0}}, 8)",
                from f in fd from k in n select $"write({f}, ..., {k})",
                from f in fd from k in n select $"read({f}, ..., {k})",
                Gen.Constant("getsockopt(3, SOL_SOCKET, SO_ERROR, [0], [4])"));
            var blocking = Gen.Elements(" ", " ", "...0.5 ", "...2 ");
            var calls = from t in time from b in blocking from c in call from r in result select $"{t}{b}{c} = {r}";
            var packet = from dir in Gen.Elements("<", ">")
                         from fl in Gen.Elements("S", "S.", "SF", "SF.", ".", "F", "F.", "R", "R.", "P.", "-")
                         from start in Gen.Elements(0u, 1u, 2u, 5u, 11u, 100000u, 4294967290u)
                         from len in Gen.Elements(0u, 0u, 10u)
                         from ack in Gen.Elements("", "ack 1 ", "ack 2 ", "ack 11 ", "ack 9999 ")
                         from win in Gen.Elements("win 0", "win 65535", "win 1000", "win 8192")
                         from opt in Gen.Elements("", "", " <mss 4>", " <mss 1460,nop>")
                         select $"{dir} {fl} {start}:{(long)start + (start > uint.MaxValue - len ? 0 : len)}({(start > uint.MaxValue - len ? 0 : len)}) {ack}{win}{opt}";
            var packets = from t in Gen.Elements("+0", "+.01", "+1", "+3", "+250", "*", "+0~+2")
                          from p in packet
                          select p.StartsWith('<') && t is "*" or "+0~+2" ? $"+0 {p}" : $"{t} {p}";
            return Gen.Frequency((3, calls), (4, packets), (1, Gen.Constant("+0 `sysctl -q x=1`")));
        }
    }
}
