using TcpSpec.Checker.Model;
using TcpSpec.Checker.Scenarios;
using TcpSpec.Checker.Strategies;
using TcpSpec.Engines;
using TcpSpec.Language;

namespace TcpSpec.Checker.Mutation;

/// <summary>How to judge mutants.</summary>
public sealed record MutationOptions
{
    /// <summary>Mutants checked at once; each mutant's search is single-threaded. Verdicts do not depend on it.</summary>
    public int Workers { get; init; } = Environment.ProcessorCount;

    /// <summary>The per-scenario state cap of a mutant's search: a mutant that reaches it in a scenario none kills it in is out of budget.</summary>
    public long MaxStates { get; init; } = 2_000_000;

    /// <summary>The scenarios (default: <see cref="ScenarioCatalog.All"/>, each with its default budgets).</summary>
    public IReadOnlyList<Scenario>? Scenarios { get; init; }

    /// <summary>Called after each mutant is judged (from any worker thread).</summary>
    public Action<MutantResult>? OnResult { get; init; }

    /// <summary>
    /// Search a mutant in every scenario, even those whose run of the table never consults its row
    /// (false: the skip, which provably changes no verdict, is off — the tests check that it does not).
    /// </summary>
    internal bool SkipUnconsulted { get; init; } = true;
}

/// <summary>
/// Judges mutants of one table (issue 11): first the analyzer (a mutant that does not compile is
/// caught statically with its TSPEC ids), then the provable equivalence of <see cref="Equivalence"/>,
/// then the default scenarios by the exhaustive search with the interpreted engine, stopping at the
/// first scenario that violates a property. The scenarios run cheapest first — by the states the
/// real table's run explores, ties in catalog order — a fixed order, so verdicts are the same
/// with any number of workers. A scenario the mutant cannot start
/// (<see cref="Exploration.ScenarioCannotStartException"/>) kills it ("cannot-start"), and so does
/// an exception of the engine on it ("engine-crash"): the run never fails on a mutant.
/// </summary>
public sealed class MutationRunner
{
    private readonly string _path;
    private readonly string _text;
    private readonly MutationOptions _options;
    private readonly MachineModel _original;
    private readonly IReadOnlyList<ExclusiveGuards> _exclusive;
    private readonly Reach _reach;
    private readonly Dictionary<string, Reach> _reachOf = [];

    /// <summary>The scenarios in the order they are run on each mutant.</summary>
    public IReadOnlyList<Scenario> Order { get; }

    /// <summary>States the real table's run of each scenario explores.</summary>
    public IReadOnlyDictionary<string, long> BaselineStates { get; }

    /// <summary>Runs the real table over the scenarios (for the coverage and the order). Throws <see cref="InvalidOperationException"/> when it does not compile or violates a property.</summary>
    public MutationRunner(string path, string text, MutationOptions? options = null)
    {
        _path = path;
        _text = text;
        _options = options ?? new MutationOptions();
        _original = SpecAnalyzer.Compile(path, text);
        var engine = InterpretedEngine.FromModel(path, _original, out var diags)
            ?? throw new InvalidOperationException($"{path}: the table does not compile ({string.Join(", ", diags.Where(d => d.Severity == SpecSeverity.Error).Select(d => d.Id).Distinct())}); mutation testing needs a table that compiles");
        _reach = new Reach(_original);
        var scenarios = _options.Scenarios ?? ScenarioCatalog.All;
        var states = new Dictionary<string, long>();
        var runnable = new List<(Scenario Scenario, int Index)>();
        var configs = new List<TcpConfig>();
        for (int i = 0; i < scenarios.Count; i++)
        {
            var scenario = scenarios[i];
            CheckResult result;
            try
            {
                result = ModelChecker.Check(scenario, Options(engine, long.MaxValue, Math.Max(1, _options.Workers))); // the search's results do not depend on its workers
            }
            catch (Exploration.ScenarioCannotStartException)
            {
                continue; // the real table cannot run it: it decides nothing about mutants
            }
            if (!result.Holds)
                throw new InvalidOperationException($"{path}: the table itself violates {result.Violations[0].Property} in {scenario.Name}; mutation testing needs a table that passes the default scenarios");
            states[scenario.Name] = result.Stats.States;
            runnable.Add((scenario, i));
            configs.Add(new Exploration.TwoHostModel(engine, scenario, scenario.Defaults).Config); // the limits the mutants run under
            _reach.Add(result.Coverage, engine);
            var own = new Reach(_original);
            own.Add(result.Coverage, engine);
            _reachOf[scenario.Name] = own;
        }
        BaselineStates = states;
        _exclusive = GuardFacts.Exclusive(configs);
        Order = runnable.OrderBy(r => states[r.Scenario.Name]).ThenBy(r => r.Index).Select(r => r.Scenario).ToList();
    }

    /// <summary>Lines of the rows the real table's run fires.</summary>
    public bool Reached(int rowLine) => _reach.Fired(rowLine);

    /// <summary>Judges every mutant; results in the mutants' order.</summary>
    public IReadOnlyList<MutantResult> Run(IReadOnlyList<Mutant> mutants)
    {
        var results = new MutantResult[mutants.Count];
        Parallel.For(0, mutants.Count, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, _options.Workers) }, i =>
        {
            results[i] = Judge(mutants[i]);
            _options.OnResult?.Invoke(results[i]);
        });
        return results;
    }

    /// <summary>The verdict on one mutant.</summary>
    public MutantResult Judge(Mutant mutant)
    {
        bool reached = Reached(mutant.RowLine);
        string text = mutant.Apply(_text);
        MachineModel model;
        try
        {
            model = SpecAnalyzer.Compile(_path, text);
        }
        catch (Exception ex)
        {
            return new MutantResult(mutant, Verdict.CaughtStatically, $"the analyzer failed: {ex.GetType().Name}") { Reached = reached };
        }
        var engine = InterpretedEngine.FromModel(_path, model, out var diags);
        if (engine is null)
        {
            var ids = diags.Where(d => d.Severity == SpecSeverity.Error).Select(d => d.Id).Distinct().ToList();
            if (ids.Count == 0) ids.Add("TSPEC000");
            return new MutantResult(mutant, Verdict.CaughtStatically, string.Join(", ", ids)) { DiagnosticIds = ids, Reached = reached };
        }
        if (Equivalence.Why(_original, model, _exclusive) is { } why)
            return new MutantResult(mutant, Verdict.Equivalent, why) { Reached = reached };
        if (_reach.Unobservable(mutant) is { } unseen)
            return new MutantResult(mutant, Verdict.Survived, unseen) { Reached = reached };

        long states = 0;
        int run = 0;

        string? capped = null;
        foreach (var scenario in Order)
        {
            // A scenario whose run of the table never consults the row runs the mutant exactly as
            // the table (Reach's argument, for that scenario alone): it holds, so it is not searched.
            if (_options.SkipUnconsulted && _reachOf[scenario.Name].Unobservable(mutant) is not null) continue;
            run++;
            CheckResult result;
            try
            {
                result = ModelChecker.Check(scenario, Options(engine, _options.MaxStates));
            }
            catch (Exploration.ScenarioCannotStartException ex)
            {
                return new MutantResult(mutant, Verdict.Killed, $"cannot-start: {ex.Message}") { Scenario = scenario.Name, Property = "cannot-start", Reached = reached, States = states, ScenariosRun = run };
            }
            catch (Exception ex)
            {
                return new MutantResult(mutant, Verdict.Killed, $"engine-crash: {ex.GetType().Name}: {ex.Message}") { Scenario = scenario.Name, Property = "engine-crash", Reached = reached, States = states, ScenariosRun = run };
            }
            states += result.Stats.States;
            if (!result.Holds)
            {
                var v = result.Violations[0];
                return new MutantResult(mutant, Verdict.Killed, v.Message)
                {
                    Scenario = scenario.Name, Property = v.Property, CounterexampleLength = v.Path.Count, Reached = reached, States = states, ScenariosRun = run,
                };
            }
            if (result.Stats.Truncated) capped ??= scenario.Name;
        }
        if (capped is not null)
            return new MutantResult(mutant, Verdict.OutOfBudget, $"{capped} reached the cap of {_options.MaxStates:N0} states") { Scenario = capped, Reached = reached, States = states, ScenariosRun = run };
        return new MutantResult(mutant, Verdict.Survived, reached
            ? $"its row fires in {Consulting(mutant)}, and no property saw a difference"
            : "its row never fires in any default scenario (coverage of the real table)") { Reached = reached, States = states, ScenariosRun = run };
    }

    /// <summary>"2 default scenarios (a, b)": those whose run of the table consults the mutant's row.</summary>
    private string Consulting(Mutant mutant)
    {
        var names = Order.Where(s => _reachOf[s.Name].Unobservable(mutant) is null).Select(s => s.Name).ToList();
        return names.Count == 1 ? $"one default scenario ({names[0]})" : $"{names.Count} default scenarios ({string.Join(", ", names)})";
    }

    private static CheckOptions Options(IEngine engine, long maxStates, int workers = 1) => new()
    {
        Engine = engine,
        Strategy = new ExhaustiveSearch(new ExhaustiveOptions { Workers = workers, MaxStates = maxStates }),
    };
}
