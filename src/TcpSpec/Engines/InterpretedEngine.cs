using TcpSpec.Language;

namespace TcpSpec.Engines;

/// <summary>
/// Runs a table loaded at run time, parsed and analysed by the very code the source generator
/// uses, with the runtime's guard and action implementations bound by name. Lets a user try an
/// edited table without rebuilding, and is the reference the generated engine is tested against.
/// </summary>
public sealed class InterpretedEngine : IEngine
{
    private readonly record struct Term(int Guard, bool Negated);

    private sealed record CompiledRow(int Id, Term[] Guard, int[] Actions, int Next);

    private readonly CompiledRow[][] _cells;
    private readonly int[] _eventMap;
    private readonly int _eventCount;

    private InterpretedEngine(string name, MachineModel model, CompiledRow[][] cells, int[] eventMap)
    {
        Name = name;
        Table = model;
        _cells = cells;
        _eventMap = eventMap;
        _eventCount = model.Events.Count;
        StateNames = model.States.Select(s => s.Name).ToArray();
        Rows = TcpMachine.Row.AllOf(model);
    }

    public string Name { get; }

    public MachineModel Table { get; }

    public IReadOnlyList<string> StateNames { get; }

    public IReadOnlyList<TcpMachine.Row> Rows { get; }

    /// <summary>Reads and compiles a table file. Returns null, with the reasons in <paramref name="diagnostics"/>, if it has errors.</summary>
    public static InterpretedEngine? Load(string path, out IReadOnlyList<SpecDiagnostic> diagnostics, bool allowUndecided = false)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or NotSupportedException or ArgumentException)
        {
            diagnostics = new[] { new SpecDiagnostic("TSPEC001", SpecSeverity.Error, $"Cannot read the table: {ex.Message}", new SpecLocation(path, 1, 1, 0, 0)) };
            return null;
        }
        return FromText(path, text, out diagnostics, allowUndecided);
    }

    /// <summary>Compiles table text. Returns null, with the reasons in <paramref name="diagnostics"/>, if it has errors.</summary>
    public static InterpretedEngine? FromText(string path, string text, out IReadOnlyList<SpecDiagnostic> diagnostics, bool allowUndecided = false)
    {
        return FromModel(path, SpecAnalyzer.Compile(path, text), out diagnostics, allowUndecided);
    }

    /// <summary>Binds an analysed table (e.g. one merged with a profile overlay). Returns null, with the reasons in <paramref name="diagnostics"/>, if it has errors.</summary>
    public static InterpretedEngine? FromModel(string path, MachineModel model, out IReadOnlyList<SpecDiagnostic> diagnostics, bool allowUndecided = false)
    {
        var diags = model.Diagnostics.ToList();
        var engine = Bind(path, model, diags);
        diagnostics = diags;
        bool fatal = diags.Any(d => d.Severity == SpecSeverity.Error && !(allowUndecided && d.Id == SpecRules.UndecidedCell.Id));
        return fatal ? null : engine;
    }

    private static InterpretedEngine? Bind(string path, MachineModel model, List<SpecDiagnostic> diags)
    {
        if (model.States.Count == 0 || model.Events.Count == 0) return null;
        var guardIndex = Index(TcpMachine.GuardNames);
        var actionIndex = Index(TcpMachine.ActionNames);
        var guardMap = new int[model.Guards.Count];
        var actionMap = new int[model.Actions.Count];
        for (int g = 0; g < model.Guards.Count; g++)
            guardMap[g] = Lookup(guardIndex, model.Guards[g], "Guard", TcpMachine.GuardNames, path, diags);
        for (int a = 0; a < model.Actions.Count; a++)
            actionMap[a] = Lookup(actionIndex, model.Actions[a], "Action", TcpMachine.ActionNames, path, diags);

        // Events the runtime produces, mapped to the table's; an event the table lacks is undecided.
        var eventIndex = Index(model.Events.Select(e => e.Name).ToList());
        var eventMap = TcpMachine.EventNames.Select(n => eventIndex.TryGetValue(n, out var i) ? i : -1).ToArray();
        var runtimeEvents = Index(TcpMachine.EventNames);
        foreach (var e in model.Events)
        {
            if (!runtimeEvents.ContainsKey(e.Name))
                diags.Add(SpecRules.Create(SpecRules.NoImplementation, new SpecLocation(path, e.Line, 1, 0, 1), "Event", e.Name, string.Join(", ", TcpMachine.EventNames)));
        }

        var cells = new CompiledRow[model.Cells.Count][];
        for (int c = 0; c < model.Cells.Count; c++)
        {
            var cell = model.Cells[c];
            cells[c] = cell.Rows.Select(id =>
            {
                var r = model.Row(id);
                return new CompiledRow(r.Id,
                    r.Guard.Select(t => new Term(guardMap[t.Guard], t.Negated)).ToArray(),
                    r.Actions.Select(a => actionMap[a]).ToArray(),
                    r.Next);
            }).ToArray();
        }
        return new InterpretedEngine(path, model, cells, eventMap);
    }

    private static Dictionary<string, int> Index(IReadOnlyList<string> names)
    {
        var d = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < names.Count; i++) d[names[i]] = i;
        return d;
    }

    private static int Lookup(Dictionary<string, int> index, DeclModel decl, string kind, IReadOnlyList<string> known, string path, List<SpecDiagnostic> diags)
    {
        if (index.TryGetValue(decl.Name, out var i)) return i;
        diags.Add(SpecRules.Create(SpecRules.NoImplementation, new SpecLocation(path, decl.Line, 1, 0, 1), kind, decl.Name, string.Join(", ", known)));
        return -1;
    }

    public int Dispatch(TcpEvent @event, ref TcpContext ctx)
    {
        int e = _eventMap[(int)@event];
        int s = (int)ctx.Ep.State;
        if (e < 0 || s >= StateNames.Count) return 0;
        foreach (var row in _cells[s * _eventCount + e])
        {
            bool holds = true;
            foreach (var t in row.Guard)
            {
                if (TcpMachine.EvaluateGuard(t.Guard, ref ctx) == t.Negated) { holds = false; break; }
            }
            if (!holds) continue;
            foreach (var a in row.Actions) TcpMachine.RunAction(a, ref ctx);
            TcpMachine.EnterState(ref ctx, (TcpState)(row.Next == MachineModel.SameState ? s : row.Next), row.Id);
            return row.Id;
        }
        return 0;
    }
}
