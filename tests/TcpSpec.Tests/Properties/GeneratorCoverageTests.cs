using FsCheck;
using FsCheck.Fluent;
using TcpSpec.Tests.Properties.Model;

namespace TcpSpec.Tests.Properties;

/// <summary>
/// The random runs the properties use are worth something only if they reach the table's rows:
/// checks, with a fixed seed, that they start in every state and fire nearly every row.
/// </summary>
public class GeneratorCoverageTests
{
    [Theory]
    [MemberData(nameof(StartStates.States), MemberType = typeof(StartStates))]
    public void Every_state_has_scripted_starts(TcpState state)
    {
        var starts = StartStates.For(state);
        Assert.True(starts.Count >= 2, $"only {starts.Count} start(s) in {state}");
        Assert.All(starts, s => Assert.Equal(state, s.Endpoint.State));
    }

    [Fact]
    public void Random_runs_fire_nearly_every_row()
    {
        var fired = new HashSet<int>();
        ulong seed = 9293;
        foreach (var state in Enum.GetValues<TcpState>())
        {
            var runs = Generators.Runs(state).Sample(150, new Rnd(seed++), 25); // 150 runs (the size does not matter)
            Assert.Equal(150, runs.Length);
            foreach (var run in runs)
            {
                var runtime = new TcpRuntime(TestEngines.Generated, run.Config);
                var ep = run.Start.Endpoint;
                foreach (var op in run.Ops) fired.Add(op.Apply(runtime, ref ep));
            }
        }
        var missed = Enumerable.Range(1, TcpMachine.RowCount).Where(r => !fired.Contains(r))
            .Select(r => TcpMachine.Rows[r - 1].Description).ToList();
        Assert.True(missed.Count <= TcpMachine.RowCount / 20, "rows no random run fires:\n" + string.Join("\n", missed));
    }
}
