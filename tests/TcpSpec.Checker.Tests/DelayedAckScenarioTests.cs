using TcpSpec.Checker.Scenarios;

namespace TcpSpec.Checker.Tests;

/// <summary>The delayed-ack scenario: the checker explores deferred ACKs (RFC 9293 §3.8.6.3) where a scenario asks for them.</summary>
public class DelayedAckScenarioTests
{
    [Fact]
    public void Delayed_acks_hold_every_property_and_the_timer_row_fires()
    {
        var result = ModelChecker.Check(ScenarioCatalog.DelayedAck);
        ModelChecker.AssertHolds(result);
        Assert.Equal(200, result.Model.Config.DelayedAckMs);
        int timerRow = TcpMachine.Rows.Single(r => r.Events == "DELAYED-ACK-TIMEOUT" && r.Actions == "SendAck").Id;
        Assert.True(result.Coverage.Rows[timerRow], "no run let a deferred ACK's timer expire");
    }

    [Fact]
    public void Only_the_delayed_ack_scenario_of_the_default_suite_delays_acks()
    {
        Assert.Equal(["delayed-ack"], ScenarioCatalog.All.Where(s => s.DelayedAckMs != 0).Select(s => s.Name));
        Assert.Same(ScenarioCatalog.DelayedAck, ScenarioCatalog.Find("delayed-ack"));
    }
}
