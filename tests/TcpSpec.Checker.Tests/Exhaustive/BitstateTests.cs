using TcpSpec.Checker.Scenarios;
using TcpSpec.Checker.Strategies;

namespace TcpSpec.Checker.Tests.Exhaustive;

/// <summary>Bitstate hashing: a large filter finds what the exact search finds; a small one finds less, deterministically, and says so.</summary>
public class BitstateTests
{
    private static CheckResult Run(int? log2, int workers = 2) =>
        ModelChecker.Check(ScenarioCatalog.SimultaneousClose, new CheckOptions { Strategy = new ExhaustiveSearch(new ExhaustiveOptions { Workers = workers, BitstateLog2 = log2, Liveness = false }) });

    [Fact]
    public void A_large_filter_finds_every_state_the_exact_search_finds()
    {
        var exact = Run(null);
        var bits = Run(28);
        Assert.Equal((exact.Stats.States, exact.Stats.Transitions, exact.Stats.Endings), (bits.Stats.States, bits.Stats.Transitions, bits.Stats.Endings));
        Assert.Null(exact.Stats.Bitstate);
        Assert.True(bits.Stats.Bitstate!.HashFactor > 1000);
        Assert.True(bits.Stats.Bitstate.ExpectedOmitted < 0.01);
    }

    [Fact]
    public void A_small_filter_misses_states_the_same_way_with_any_workers_and_estimates_it()
    {
        var exact = Run(null);
        var one = Run(18, workers: 1);
        var two = Run(18, workers: 2);
        Assert.True(one.Stats.States < exact.Stats.States);
        Assert.Equal(one.Stats.States, two.Stats.States);
        Assert.Equal(one.Stats.Transitions, two.Stats.Transitions);
        var b = one.Stats.Bitstate!;
        Assert.Equal(1L << 18, b.Bits);
        Assert.InRange(b.HashFactor, 1.0, 10.0);
        Assert.True(b.ExpectedOmitted > 0);
        Assert.InRange(b.OmissionProbability, 0.0, 1.0);
    }

    [Fact]
    public void The_filter_counts_the_bits_it_sets()
    {
        var set = new BitstateSet(16);
        var random = new Random(3);
        int added = 0;
        for (int i = 0; i < 5000; i++)
        {
            ulong key = (ulong)random.NextInt64();
            set.GetOrAdd(key, 0, out bool isNew);
            if (isNew) added++;
            Assert.True(set.TryGet(key, out _));
        }
        var stats = set.Stats();
        Assert.Equal(Math.Pow(set.CountSetBits() / (double)set.Bits, BitstateSet.HashFunctions), stats.OmissionProbability, 12);
        Assert.Equal(set.Bits / (double)added, stats.HashFactor, 9);
    }
}
