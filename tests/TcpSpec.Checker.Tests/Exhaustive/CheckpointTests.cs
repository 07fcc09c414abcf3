using TcpSpec.Checker.Scenarios;
using TcpSpec.Checker.Strategies;

namespace TcpSpec.Checker.Tests.Exhaustive;

/// <summary>
/// Checkpoint and resume of the exhaustive search: a search stopped by a cap (in the middle of a
/// level and of a chunk), resumed from its checkpoint, ends with the same counts and the same
/// shortest counterexamples as one never stopped; a checkpoint of other options, or a damaged
/// one, is refused with a message naming the file.
/// </summary>
public sealed class CheckpointTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), $"tcpspec-checkpoint-test-{Guid.NewGuid():N}");

    public CheckpointTests() => Directory.CreateDirectory(_dir);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string File(string name) => Path.Combine(_dir, name);

    private static readonly Model.Scenario Small = ScenarioCatalog.SimultaneousOpen;
    private static readonly Model.Budgets SmallBudgets = Small.Defaults with { Loss = 2, Dup = 1 };

    /// <summary>Without a listener first, the client's SYN can meet a closed port: a graceful scenario fails (as in RunControlTests).</summary>
    private static readonly Model.Scenario Failing = ScenarioCatalog.ClientClosesFirst with { Prelude = [0, 0] };

    private static CheckResult Run(Model.Scenario scenario, Model.Budgets? budgets, ExhaustiveOptions options) =>
        ModelChecker.Check(scenario, new CheckOptions { Budgets = budgets, Strategy = new ExhaustiveSearch(options) });

    /// <summary>Stops the search at each cap in turn (writing the checkpoint), resumes it, and finally lets it run to its end.</summary>
    private CheckResult RunInStages(Model.Scenario scenario, Model.Budgets? budgets, ExhaustiveOptions options, params long[] caps)
    {
        string path = File(scenario.Name + ".checkpoint");
        string? resume = null;
        foreach (long cap in caps)
        {
            var stopped = Run(scenario, budgets, options with { MaxStates = cap, CheckpointFile = path, ResumeFrom = resume });
            Assert.True(stopped.Stats.Truncated);
            Assert.Equal(cap, stopped.Stats.States);
            Assert.Equal(path, stopped.Stats.Checkpoint);
            Assert.True(System.IO.File.Exists(path));
            Assert.False(System.IO.File.Exists(path + ".tmp"), "the temporary file is renamed over the checkpoint");
            resume = path;
        }
        var resumed = Run(scenario, budgets, options with { CheckpointFile = path, ResumeFrom = resume });
        Assert.Null(resumed.Stats.Checkpoint);
        Assert.False(System.IO.File.Exists(path), "a search that ran to its end deletes its checkpoint");
        return resumed;
    }

    [Theory]
    [InlineData(1, true)]
    [InlineData(2, true)]
    [InlineData(2, false)]
    public void A_search_stopped_at_state_caps_and_resumed_finds_what_an_uninterrupted_one_finds(int workers, bool liveness)
    {
        var options = new ExhaustiveOptions { Workers = workers, Liveness = liveness };
        var full = Run(Small, SmallBudgets, options);
        Assert.False(full.Stats.Truncated);
        long n = full.Stats.States;
        // Caps in the middle of levels and of chunks, and two stops in one level.
        var resumed = RunInStages(Small, SmallBudgets, options, n / 5, n / 5 + 700, n / 2 + 1);
        Assert.Equal(StateSpaceCountsTests.Line("full", full), StateSpaceCountsTests.Line("full", resumed));
        Assert.Equal(full.Coverage.Rows, resumed.Coverage.Rows);
        Assert.Equal(full.Coverage.Cells, resumed.Coverage.Cells);
    }

    [Fact]
    public void A_search_with_its_parent_links_and_levels_on_disk_resumes_to_the_same_counts_and_counterexample()
    {
        var options = new ExhaustiveOptions { Workers = 2, SpillBytes = 0, SpillDirectory = _dir };
        var full = Run(Small, SmallBudgets, options);
        long n = full.Stats.States;
        var resumed = RunInStages(Small, SmallBudgets, options, n / 3, n / 2 + 1);
        Assert.Equal(StateSpaceCountsTests.Line("full", full), StateSpaceCountsTests.Line("full", resumed));
        var failing = Run(Failing, null, options with { Liveness = false });
        var failingResumed = RunInStages(Failing, null, options with { Liveness = false }, failing.Stats.States / 2);
        Assert.Equal(failing.Violations.Select(v => (v.Property, v.Path.Count)), failingResumed.Violations.Select(v => (v.Property, v.Path.Count)));
        Assert.Equal(failing.Violations[0].Path, failingResumed.Violations[0].Path);
        Assert.Empty(Directory.GetFiles(_dir, "tcpspec-*"));
    }

    [Fact]
    public void A_resumed_search_finds_the_same_shortest_counterexample()
    {
        var options = new ExhaustiveOptions { Workers = 2 };
        var full = Run(Failing, null, options);
        Assert.False(full.Holds);
        var resumed = RunInStages(Failing, null, options, full.Stats.States / 3, full.Stats.States * 2 / 3);
        Assert.Equal(StateSpaceCountsTests.Line("failing", full), StateSpaceCountsTests.Line("failing", resumed));
        Assert.Equal(full.Violations.Select(v => v.Message), resumed.Violations.Select(v => v.Message));
    }

    [Fact]
    public void A_search_interrupted_by_ctrl_c_writes_a_checkpoint_it_resumes_from()
    {
        var options = new ExhaustiveOptions { Workers = 2 };
        var full = Run(Small, SmallBudgets, options);
        using var cancel = new CancellationTokenSource();
        string path = File("interrupted.checkpoint");
        var stopped = Run(Small, SmallBudgets, options with
        {
            CheckpointFile = path,
            Cancel = cancel.Token,
            ProgressInterval = TimeSpan.Zero,
            OnProgress = p => { if (p.States > 5000) cancel.Cancel(); },
        });
        Assert.Equal("interrupted", stopped.Stats.StoppedBy);
        Assert.Equal(path, stopped.Stats.Checkpoint);
        var resumed = Run(Small, SmallBudgets, options with { ResumeFrom = path });
        Assert.Equal(StateSpaceCountsTests.Line("x", full), StateSpaceCountsTests.Line("x", resumed));
    }

    [Fact]
    public void Periodic_checkpoints_are_written_while_the_search_runs()
    {
        string path = File("periodic.checkpoint");
        bool seen = false;
        var options = new ExhaustiveOptions
        {
            CheckpointFile = path,
            CheckpointEvery = TimeSpan.Zero,
            Liveness = false,
            ProgressInterval = TimeSpan.Zero,
            OnProgress = p => seen |= System.IO.File.Exists(path),
        };
        var r = Run(Small, SmallBudgets, options);
        Assert.True(seen, "a checkpoint existed while the search ran");
        Assert.False(r.Stats.Truncated);
        Assert.False(System.IO.File.Exists(path));
    }

    private string StoppedCheckpoint(ExhaustiveOptions options, Model.Budgets budgets)
    {
        string path = File($"stopped-{Guid.NewGuid():N}.checkpoint");
        var r = Run(Small, budgets, options with { MaxStates = 3000, CheckpointFile = path });
        Assert.Equal(path, r.Stats.Checkpoint);
        return path;
    }

    [Theory]
    [InlineData("liveness")]
    [InlineData("budgets")]
    [InlineData("bitstate")]
    [InlineData("scenario")]
    [InlineData("table")]
    public void Resuming_with_other_options_is_refused_with_the_field_that_differs(string field)
    {
        var options = new ExhaustiveOptions { Workers = 1 };
        string path = StoppedCheckpoint(options, SmallBudgets);
        var (scenario, budgets, other) = field switch
        {
            "liveness" => (Small, SmallBudgets, options with { Liveness = false }),
            "budgets" => (Small, SmallBudgets with { Loss = 1 }, options),
            "bitstate" => (Small, SmallBudgets, options with { BitstateLog2 = 20 }),
            "table" => (Small, SmallBudgets, options with { TableHash = "sha256:0123456789abcdef" }),
            _ => (ScenarioCatalog.SimultaneousClose, SmallBudgets, options),
        };
        var ex = Assert.Throws<CheckpointException>(() => Run(scenario, budgets, other with { ResumeFrom = path }));
        Assert.Contains(path, ex.Message);
        Assert.Contains($"written with {field} ", ex.Message);
    }

    [Fact]
    public void A_checkpoint_of_another_format_version_is_refused_as_such()
    {
        var options = new ExhaustiveOptions { Workers = 1 };
        string path = StoppedCheckpoint(options, SmallBudgets);
        var bytes = System.IO.File.ReadAllBytes(path);
        int at = "TCPSPEC-CHECKPOINT\n".Length; // the version follows the magic
        int version = BitConverter.ToInt32(bytes, at);
        BitConverter.GetBytes(version - 1).CopyTo(bytes, at); // as an older tcpspec wrote it (older fingerprints)
        System.IO.File.WriteAllBytes(path, bytes);
        var ex = Assert.Throws<CheckpointException>(() => Run(Small, SmallBudgets, options with { ResumeFrom = path }));
        Assert.Equal($"the checkpoint {path} was written in format version {version - 1}, this tcpspec reads version {version} (its fingerprints differ): start afresh without --resume", ex.Message);
    }

    [Fact]
    public void A_truncated_checkpoint_is_a_clear_error_naming_the_file()
    {
        var options = new ExhaustiveOptions { Workers = 1 };
        string path = StoppedCheckpoint(options, SmallBudgets);
        var bytes = System.IO.File.ReadAllBytes(path);
        foreach (int length in new[] { 0, 10, bytes.Length / 2, bytes.Length - 1 })
        {
            System.IO.File.WriteAllBytes(path, bytes[..length]);
            var ex = Assert.Throws<CheckpointException>(() => Run(Small, SmallBudgets, options with { ResumeFrom = path }));
            Assert.Contains($"the checkpoint {path} is corrupt at byte ", ex.Message);
        }
    }

    [Fact]
    public void A_damaged_checkpoint_is_a_clear_error_naming_the_file()
    {
        var options = new ExhaustiveOptions { Workers = 1 };
        string path = StoppedCheckpoint(options, SmallBudgets);
        var bytes = System.IO.File.ReadAllBytes(path);
        var random = new Random(14);
        for (int i = 0; i < 20; i++)
        {
            var damaged = (byte[])bytes.Clone();
            // Past the identity: a damaged identity is refused as another table or options.
            damaged[random.Next(bytes.Length / 4, bytes.Length)] ^= (byte)(1 << random.Next(8));
            System.IO.File.WriteAllBytes(path, damaged);
            var ex = Assert.Throws<CheckpointException>(() => Run(Small, SmallBudgets, options with { ResumeFrom = path }));
            Assert.Contains($"the checkpoint {path} ", ex.Message);
        }
        System.IO.File.WriteAllText(path, "not a checkpoint at all");
        var garbage = Assert.Throws<CheckpointException>(() => Run(Small, SmallBudgets, options with { ResumeFrom = path }));
        Assert.Contains("not a tcpspec checkpoint", garbage.Message);
        var missing = Assert.Throws<CheckpointException>(() => Run(Small, SmallBudgets, options with { ResumeFrom = File("none") }));
        Assert.Contains("cannot read the checkpoint", missing.Message);
    }
}
