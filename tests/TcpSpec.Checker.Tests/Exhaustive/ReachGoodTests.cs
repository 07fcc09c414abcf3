using TcpSpec.Checker.Strategies;
using Xunit;

namespace TcpSpec.Checker.Tests.Exhaustive;

/// <summary>The liveness pass's first step: which states reach a good ending, on graphs built by hand.</summary>
public class ReachGoodTests
{
    /// <summary>
    /// States 0..chain: 0 leads to the chain's far end, each chain state to the one before it
    /// (a back edge: against breadth-first order, so the sweeps cannot settle it and the reversed
    /// graph of the bad states' edges must), state 1 is an ending; the two states after the chain
    /// only lead to each other.
    /// </summary>
    private static StateGraph BackChain(int chain)
    {
        var g = new StateGraph(withTransitions: true);
        for (int s = 0; s <= chain + 2; s++) g.Add(s == 0 ? -1 : 0, 0, s == 1 ? StateGraph.Ending : StateGraph.Expanded);
        g.StartSuccessors(0);
        g.AddSuccessor(chain);
        g.AddSuccessor(chain + 1);
        for (int s = 2; s <= chain; s++)
        {
            g.StartSuccessors(s);
            g.AddSuccessor(s - 1);
        }
        g.StartSuccessors(chain + 1);
        g.AddSuccessor(chain + 2);
        g.StartSuccessors(chain + 2);
        g.AddSuccessor(chain + 1);
        g.Complete();
        return g;
    }

    [Theory]
    [InlineData(3)]
    [InlineData(10)]
    [InlineData(1_000)]
    public void States_that_reach_an_ending_only_through_back_edges_are_good_and_a_closed_cycle_is_not(int chain)
    {
        var good = LivelockCheck.ReachGood(BackChain(chain));
        for (int s = 0; s <= chain; s++) Assert.True(good[s], $"state {s}");
        Assert.False(good[chain + 1]);
        Assert.False(good[chain + 2]);
    }
}
