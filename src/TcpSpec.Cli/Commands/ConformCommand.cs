using System.CommandLine;
using TcpSpec.Cli.Output;
using TcpSpec.Conformance.Observer;
using TcpSpec.Conformance.Profiles;
using TcpSpec.Conformance.Pcap;
using TcpSpec.Engines;

namespace TcpSpec.Cli.Commands;

/// <summary>
/// <c>tcpspec conform FILE... [--profile rfc9293|linux|FILE] [--endpoint ADDR[:PORT]]... [--spec FILE] [--loss N] [--verbose]</c>:
/// reads pcap and pcapng captures, splits them into connections and follows both endpoints of
/// each through the table as an observer; prints each endpoint's states and either CONFORMS or
/// the first segment the spec does not allow, with the rows that could have sent it and why they
/// did not. <c>--endpoint</c> judges only the endpoints it names (the stack under test; the peer
/// may be a test script that misbehaves on purpose). Exit 0 when every judged endpoint conforms,
/// 1 otherwise, 2 on unreadable input or when nothing was judged (an unmatched --endpoint, no TCP connection in any capture).
/// </summary>
public static class ConformCommand
{
    public const int MaxLoss = 8;

    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var files = new Argument<FileInfo[]>("files") { Description = "Capture files (pcap or pcapng; Ethernet, Linux cooked SLL/SLL2, raw IP or loopback; IPv4 and IPv6); a directory stands for every .pcap, .pcapng and .cap file under it, in path order.", Arity = ArgumentArity.OneOrMore };
        var profile = new Option<string>("--profile") { Description = "rfc9293 (default): the table alone; linux or freebsd: the table merged with that stack's overlay (spec/profiles/NAME.md), each deviation named where a segment needs it; or the path of an overlay file.", DefaultValueFactory = _ => Profile.Rfc9293Name };
        var spec = new Option<FileInfo?>("--spec") { Description = "Follow the captures through this table instead of the one built into tcpspec (an edited copy of spec/tcp.spec.md)." };
        var loss = new Option<int>("--loss") { Description = $"Allow up to N captured segments per endpoint to have been lost after the capture point (0 to {MaxLoss}; default 0).", DefaultValueFactory = _ => 0 };
        var endpoint = new Option<string[]>("--endpoint")
        {
            Description = "Judge only this endpoint (repeatable): an address, with or without a port (10.0.0.1, 10.0.0.1:80, [2001:db8::1]:80). The other endpoints are followed, as what they send reaches the judged ones, but reported as not judged. Default: every endpoint.",
            Arity = ArgumentArity.OneOrMore,
            AllowMultipleArgumentsPerToken = false,
        };
        var verbose = new Option<bool>("--verbose", "-v") { Description = "Also print every segment of each connection with the states of both endpoints after it." };
        var json = JsonOption.Create("conform");
        var command = new Command("conform", "Check captured TCP traffic against the table: follow both endpoints of every connection as an observer and report the first segment the spec does not allow.")
        {
            files, profile, endpoint, spec, loss, verbose, json,
        };
        command.SetAction(parse => Run(parse.GetValue(files)!, parse.GetValue(profile)!, parse.GetValue(endpoint) ?? [], parse.GetValue(spec), parse.GetValue(loss), parse.GetValue(verbose),
            parse.GetValue(json), stdout, stderr));
        return command;
    }

    /// <summary>What a directory argument stands for: every file under it with one of these extensions.</summary>
    public static readonly string[] CaptureExtensions = [".pcap", ".pcapng", ".cap"];

    private static int Run(FileInfo[] arguments, string profile, string[] endpoints, FileInfo? spec, int loss, bool verbose, bool json, TextWriter stdout, TextWriter stderr)
    {
        if (arguments.Length == 0) throw new UsageException("conform needs at least one capture file");
        if (loss < 0 || loss > MaxLoss) throw new UsageException($"--loss must be between 0 and {MaxLoss}, not {loss}");
        var judge = new List<EndpointSelector>();
        foreach (var e in endpoints)
            judge.Add(EndpointSelector.Parse(e, out var error) ?? throw new UsageException($"--endpoint {error}"));
        var options = new ConformOptions
        {
            Observer = new ObserverOptions { Loss = loss },
            Judge = judge.Count > 0 ? judge : null,
        };
        if (spec is not null)
        {
            var engine = SpecFileLoader.Load(spec, stderr, "; no capture was checked", out _);
            options = options with { Table = Profile.Rfc9293(engine), TableText = File.ReadAllText(spec.FullName) };
        }
        var stack = ProfileLoader.Load(profile, spec, stderr, "; no capture was checked");
        options = options with { Stack = stack };
        var files = InputFiles.Expand(arguments, CaptureExtensions, "capture", missingIsError: false);
        var captures = new List<object>(); // the --json entries

        bool unreadable = false, finding = false;
        int connections = 0; // over every capture read: none at all means nothing was judged
        bool first = true;
        var matched = new HashSet<EndpointSelector>(); // the --endpoint selectors some capture had an endpoint for
        foreach (var file in files)
        {
            string shown = TableCommand.Relative(file.FullName);
            Capture capture;
            try
            {
                if (!file.Exists) throw new FileNotFoundException("no such file", file.FullName);
                capture = CaptureReader.ReadFile(file.FullName);
            }
            catch (CaptureFormatException ex)
            {
                stderr.WriteLine($"tcpspec: {shown}: unreadable capture at byte {ex.ByteOffset}: {ex.Reason}");
                captures.Add(ConformJson.Unreadable(shown, $"unreadable capture at byte {ex.ByteOffset}: {ex.Reason}", ex.ByteOffset));
                unreadable = true;
                continue;
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or NotSupportedException)
            {
                stderr.WriteLine($"tcpspec: {shown}: cannot read the file: {ex.Message}");
                captures.Add(ConformJson.Unreadable(shown, $"cannot read the file: {ex.Message}", null));
                unreadable = true;
                continue;
            }

            if (capture.CutShort is { } cut) stderr.WriteLine($"tcpspec: warning: {shown}: {cut}");

            CaptureVerdict verdict;
            try
            {
                verdict = ConformanceChecker.Check(capture, options);
            }
            catch (ProfileException ex)
            {
                throw new UsageException($"--profile linux with {spec?.Name ?? "the built-in table"}: {ex.Message}");
            }
            if (json) captures.Add(ConformJson.Capture(shown, verdict));
            else
            {
                if (!first) stdout.WriteLine();
                first = false;
                ReportWriter.Write(stdout, shown, verdict, verbose);
            }
            if (!verdict.Conforms) finding = true;
            connections += verdict.Connections.Count;
            foreach (var j in judge)
                if (!verdict.Unmatched.Contains(j)) matched.Add(j);
        }
        // An --endpoint that names no endpoint of any capture judged nothing: not a green run.
        var unmatched = new List<string>();
        for (int i = 0; i < judge.Count; i++)
        {
            if (matched.Contains(judge[i]) || files.Count == 0) continue;
            stderr.WriteLine($"tcpspec: --endpoint {endpoints[i]} matches no endpoint of the captures given: nothing was judged for it");
            unmatched.Add(endpoints[i]);
        }
        // A finding is still a finding (exit 1); otherwise an unmatched selector is a usage error, never a green run.
        // Captures that hold no TCP connection at all judged nothing either: not a green run.
        bool nothingJudged = !unreadable && files.Count > 0 && connections == 0;
        if (nothingJudged)
            stderr.WriteLine($"tcpspec: {(files.Count == 1 ? "the capture holds no TCP connection" : "no capture given holds a TCP connection")}: nothing was judged");
        int exit = unreadable ? Cli.Usage : finding ? Cli.Finding : unmatched.Count > 0 || nothingJudged ? Cli.Usage : Cli.Ok;
        if (json)
            ConformJson.Write(stdout, stack?.Name ?? profile, spec is null ? "built in" : TableCommand.Relative(spec.FullName), endpoints, !unreadable && !finding, captures, unmatched, exit);
        return exit;
    }
}
