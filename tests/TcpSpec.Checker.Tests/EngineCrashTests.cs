using TcpSpec.Checker;
using TcpSpec.Checker.Scenarios;
using TcpSpec.Checker.Strategies;
using TcpSpec.Engines;
using TcpSpec.Language;

namespace TcpSpec.Checker.Tests;

/// <summary>
/// An engine that throws on a move (issue 15: once <c>internal error</c>, exit 3): the search
/// reports it as <see cref="EngineCrashedException"/> naming the scenario, the moves that lead
/// there and the move that threw — the same with 1 and 2 workers — and so does the random search.
/// </summary>
public class EngineCrashTests
{
    /// <summary>The real table, but its TIME-WAIT expiry throws, as an action indexing past an array would.</summary>
    private sealed class TimeWaitThrows(IEngine inner) : IEngine
    {
        public string Name => "time-wait-throws";
        public MachineModel Table => inner.Table;
        public IReadOnlyList<string> StateNames => inner.StateNames;
        public IReadOnlyList<TcpMachine.Row> Rows => inner.Rows;

        public int Dispatch(TcpEvent @event, ref TcpContext ctx) =>
            @event == TcpEvent.TimeWaitTimeout ? throw new IndexOutOfRangeException("Index was outside the bounds of the array.") : inner.Dispatch(@event, ref ctx);
    }

    [Fact]
    public void The_exhaustive_search_reports_the_scenario_the_moves_and_the_move_that_threw_whatever_the_workers()
    {
        var scenario = ScenarioCatalog.Find("client-closes-first")!;
        var crashes = new[] { 1, 2 }.Select(workers => Assert.Throws<EngineCrashedException>(() => ModelChecker.Check(scenario, new CheckOptions
        {
            Engine = new TimeWaitThrows(GeneratedEngine.Instance),
            Strategy = new ExhaustiveSearch(new ExhaustiveOptions { Workers = workers }),
        }))).ToList();
        var c = crashes[0];
        Assert.Equal("client-closes-first", c.Scenario);
        Assert.IsType<IndexOutOfRangeException>(c.InnerException);
        Assert.Contains("2MSL (TIME-WAIT) timeout", c.LastMove);
        Assert.StartsWith("the engine threw IndexOutOfRangeException (Index was outside the bounds of the array.) on move ", c.Message);
        Assert.Contains("A: user calls OPEN", c.Path[0]);
        // Breadth-first: the first crash met is at the least depth, and the same one with any number of workers.
        Assert.Equal(c.Path, crashes[1].Path);
        Assert.Equal(c.LastMove, crashes[1].LastMove);
    }

    [Fact]
    public void The_random_search_reports_the_move_that_threw()
    {
        var scenario = ScenarioCatalog.Find("client-closes-first")!;
        var c = Assert.Throws<EngineCrashedException>(() => ModelChecker.Check(scenario, new CheckOptions
        {
            Engine = new TimeWaitThrows(GeneratedEngine.Instance),
            Strategy = new RandomSearch(new RandomOptions { Seed = 1, Iterations = 1000 }),
        }));
        Assert.Equal("client-closes-first", c.Scenario);
        Assert.Contains("2MSL (TIME-WAIT) timeout", c.LastMove);
    }
}
