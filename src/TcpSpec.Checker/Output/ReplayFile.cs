using System.Text.Json;
using System.Text.Json.Serialization;
using TcpSpec.Checker.Exploration;
using TcpSpec.Checker.Model;
using TcpSpec.Checker.Strategies;

namespace TcpSpec.Checker.Output;

/// <summary>
/// A replay file: everything <c>tcpspec replay</c> needs to re-execute a counterexample
/// deterministically — the table (built in, or the path of an interpreted one), the scenario,
/// the budgets and model options, and the moves. JSON, so it can be read and edited by hand.
/// </summary>
public sealed record ReplayFile
{
    public const int CurrentFormat = 1;

    public int Format { get; init; } = CurrentFormat;
    public string Tool { get; init; } = "tcpspec";
    /// <summary>Null for the table compiled into tcpspec; otherwise the table file the interpreted engine ran.</summary>
    public string? Spec { get; init; }
    /// <summary>The <see cref="TableHash"/> of the table the counterexample was found in (absent in files of older versions): replaying against another table says so.</summary>
    public string? TableHash { get; init; }
    public required string Scenario { get; init; }
    public required BudgetsDto Budgets { get; init; }
    public bool SpuriousTimeouts { get; init; }
    /// <summary>The untimed timers of --untimed-timers. Absent in files written before timers had durations, which were all untimed.</summary>
    public bool? UntimedTimers { get; init; }
    public string Strategy { get; init; } = "exhaustive";
    public required string Property { get; init; }
    public required string Message { get; init; }
    public int? LoopStart { get; init; }
    public required List<MoveDto> Moves { get; init; }

    /// <summary>The budgets; stale, attack, calls and icmp are written only when set, and read as 0 when absent (files of earlier versions).</summary>
    public sealed record BudgetsDto(int Loss, int Dup, int Crash, int Data, int MaxInFlight,
        [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] int Stale = 0,
        [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] int Attack = 0,
        [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] int Calls = 0,
        [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] int Icmp = 0)
    {
        public static BudgetsDto From(Budgets b) => new(b.Loss, b.Dup, b.Crash, b.Data, b.MaxInFlight, b.Stale, b.Attack, b.Calls, b.Icmp);

        /// <summary>The budgets, each checked: a negative budget, or one beyond what the model holds, is a <see cref="ReplayException"/>.</summary>
        public Budgets ToBudgets() => ToBudgets("replay file");

        public Budgets ToBudgets(string path)
        {
            Check(Loss, "loss", byte.MaxValue);
            Check(Dup, "dup", byte.MaxValue);
            Check(Crash, "crash", byte.MaxValue);
            Check(Data, "data", byte.MaxValue);
            Check(Stale, "stale", byte.MaxValue);
            Check(Attack, "attack", byte.MaxValue);
            Check(Calls, "calls", byte.MaxValue);
            Check(Icmp, "icmp", byte.MaxValue);
            if (MaxInFlight is < 1 or > Network.Capacity) throw new ReplayException($"{path}: budgets.maxInFlight must be between 1 and {Network.Capacity}, not {MaxInFlight}");
            return new() { Loss = Loss, Dup = Dup, Crash = Crash, Data = Data, MaxInFlight = MaxInFlight, Stale = Stale, Attack = Attack, Calls = Calls, Icmp = Icmp };

            void Check(int value, string name, int most)
            {
                if (value < 0 || value > most) throw new ReplayException($"{path}: budgets.{name} must be between 0 and {most}, not {value}");
            }
        }
    }

    /// <summary>A move: kind, host (A or B), index (segment position or timer), and a note for the reader (ignored on load).</summary>
    public sealed record MoveDto(string Kind, string Host, int Index, string? Note = null);

    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        RespectNullableAnnotations = true,
    };

    public static ReplayFile From(TwoHostModel model, Violation v, string? specPath, string strategy, string? tableHash = null)
    {
        var moves = new List<MoveDto>();
        Replay.Walk(model, v.Path, (int _, in World before, Move m, in World _, StepLog _) =>
            moves.Add(new MoveDto(m.Kind.ToString(), model.Scenario.HostNames[m.Host], m.Index, Replay.Describe(model, before, m))));
        return new ReplayFile
        {
            Spec = specPath,
            TableHash = tableHash ?? Output.TableHash.Of(model.Engine),
            Scenario = model.Scenario.Name,
            Budgets = BudgetsDto.From(model.Budgets),
            SpuriousTimeouts = model.Options.SpuriousTimeouts,
            UntimedTimers = model.Options.UntimedTimers,
            Strategy = strategy,
            Property = v.Property,
            Message = v.Message,
            LoopStart = v.LoopStart,
            Moves = moves,
        };
    }

    /// <summary>The model options the run was made with.</summary>
    public ModelOptions ToModelOptions() => new() { SpuriousTimeouts = SpuriousTimeouts, UntimedTimers = UntimedTimers ?? true };

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    /// <summary>Reads a replay file; a malformed one is a <see cref="ReplayException"/> naming what is wrong.</summary>
    public static ReplayFile Parse(string json, string path)
    {
        ReplayFile? file;
        try
        {
            file = JsonSerializer.Deserialize<ReplayFile>(json, Json);
        }
        catch (JsonException ex)
        {
            throw new ReplayException($"{path}: not a replay file: {Say(ex)}");
        }
        if (file is null) throw new ReplayException($"{path}: empty replay file");
        if (file.Format != CurrentFormat) throw new ReplayException($"{path}: replay format {file.Format} is not supported (this tcpspec reads {CurrentFormat})");
        file.Budgets?.ToBudgets(path); // one rule for every budget, naming the one at fault
        return file;
    }

    /// <summary>
    /// A value of the wrong form in the user's words: "budgets.dup has a value of the wrong form or
    /// size (line 1, byte 168)", not System.Text.Json's .NET type name; a syntax error as the reader says it.
    /// </summary>
    private static string Say(JsonException ex)
    {
        if (!ex.Message.StartsWith("The JSON value could not be converted", StringComparison.Ordinal) || ex.Path is null) return ex.Message;
        string field = ex.Path.StartsWith("$.", StringComparison.Ordinal) ? ex.Path[2..] : ex.Path;
        return $"{field} has a value of the wrong form or size (line {ex.LineNumber + 1}, byte {ex.BytePositionInLine + 1})";
    }

    public List<Move> ToMoves(Scenario scenario, string path)
    {
        if (LoopStart is int loop && (loop < 0 || loop >= Moves.Count)) throw new ReplayException($"{path}: loopStart {loop} is not a move of the run (0 to {Moves.Count - 1})");
        var result = new List<Move>();
        for (int i = 0; i < Moves.Count; i++)
        {
            var m = Moves[i];
            if (m is null) throw new ReplayException($"{path}: move {i + 1}: null is not a move");
            if (!Enum.TryParse<MoveKind>(m.Kind, out var kind))
                throw new ReplayException($"{path}: move {i + 1}: unknown kind '{m.Kind}' (expected one of {string.Join(", ", Enum.GetNames<MoveKind>())})");
            int host = Array.IndexOf(scenario.HostNames, m.Host);
            if (host < 0) throw new ReplayException($"{path}: move {i + 1}: unknown host '{m.Host}'");
            int most = kind switch
            {
                MoveKind.Deliver or MoveKind.Lose or MoveKind.Duplicate => Network.Capacity - 1,
                MoveKind.Stale => OldSegments.Capacity - 1,
                MoveKind.Inject => Forgery.Count - 1,
                MoveKind.Call => StrayCalls.Count - 1,
                MoveKind.Icmp => 2 * Network.Capacity - 1,
                _ => 255,
            };
            if (m.Index < 0 || m.Index > most) throw new ReplayException($"{path}: move {i + 1}: index {m.Index} out of range");
            result.Add(new Move(kind, (byte)host, (byte)m.Index));
        }
        return result;
    }
}
