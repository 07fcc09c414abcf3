using TcpSpec.Checker.Model;
using TcpSpec.Checker.Scenarios;

namespace TcpSpec.Checker.Tests;

/// <summary>
/// Timers that keep time (the default) against the untimed over-approximation: with four octets
/// to send, untimed timers let one host back off and give up (R2) before the peer's first
/// retransmission fires — a false alarm no real pair of hosts can produce, since both RTOs start
/// from the same initial RTO (RFC 6298 §2.1) and double alike (§5.5).
/// </summary>
public class TimedTimerTests
{
    private static readonly Budgets DataFour = ScenarioCatalog.SimultaneousClose.Defaults with { Data = 4 };

    [Fact]
    public void Simultaneous_close_with_four_octets_holds_when_timers_keep_time()
    {
        var result = ModelChecker.Check(ScenarioCatalog.SimultaneousClose, new CheckOptions { Budgets = DataFour });
        ModelChecker.AssertHolds(result);
        Assert.False(result.Stats.Truncated);
    }

    [Fact]
    public void Untimed_timers_give_the_false_alarm_the_timed_model_removes()
    {
        var result = ModelChecker.Check(ScenarioCatalog.SimultaneousClose,
            new CheckOptions { Budgets = DataFour, Model = new Exploration.ModelOptions { UntimedTimers = true } });
        var v = Assert.Single(result.Violations);
        Assert.Equal("both-closed", v.Property);
        Assert.Contains(v.Path, m => m.Kind == Exploration.MoveKind.Timer);
    }
}
