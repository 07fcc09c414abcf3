using System.CommandLine;
using System.Globalization;
using TcpSpec.Checker.Model;
using TcpSpec.Checker.Strategies;

namespace TcpSpec.Cli.Commands;

/// <summary>
/// <c>check --checkpoint DIR [--checkpoint-every MIN]</c> and <c>check --resume DIR</c>: each
/// scenario's exhaustive search keeps its checkpoint in <c>DIR/&lt;scenario&gt;.checkpoint</c>,
/// written every MIN minutes and when a cap or Ctrl-C stops it, deleted when it ends. A resume
/// goes on from the checkpoints in DIR (of the scenarios named, or of all it holds) and keeps
/// checkpointing there.
/// </summary>
internal sealed class CheckpointOptions
{
    public const string Extension = ".checkpoint";

    public readonly Option<DirectoryInfo?> Checkpoint = new("--checkpoint") { Description = "Keep a checkpoint of each exhaustive search in this directory (written every --checkpoint-every minutes and when a cap or Ctrl-C stops the search; deleted when it ends), to go on from with --resume." };
    public readonly Option<double?> Every = new("--checkpoint-every") { Description = "Minutes between checkpoints (default 10)." };
    public readonly Option<DirectoryInfo?> Resume = new("--resume") { Description = "Go on from the checkpoints in this directory (the scenarios named, or all it holds), with the same table, budgets and options; keeps checkpointing there." };

    public IEnumerable<Option> All => [Checkpoint, Every, Resume];

    /// <summary>What the options ask for, or null when neither is given.</summary>
    public Plan? Parse(ParseResult parse, string strategy)
    {
        var checkpoint = parse.GetValue(Checkpoint);
        var resume = parse.GetValue(Resume);
        double? every = parse.GetValue(Every);
        if (every is <= 0 or double.NaN) throw new UsageException($"--checkpoint-every must be a positive number of minutes, not {every.Value.ToString(CultureInfo.InvariantCulture)}");
        if (checkpoint is null && resume is null)
        {
            if (every is not null) throw new UsageException("--checkpoint-every needs --checkpoint DIR");
            return null;
        }
        if (strategy != "exhaustive") throw new UsageException("--checkpoint and --resume apply to the exhaustive search only");
        if (checkpoint is not null && resume is not null && Path.GetFullPath(checkpoint.FullName) != Path.GetFullPath(resume.FullName))
            throw new UsageException("--resume keeps checkpointing in its own directory: give --checkpoint the same directory, or leave it out");
        var dir = resume ?? checkpoint!;
        if (resume is not null && !dir.Exists) throw new UsageException($"--resume {TableCommand.Relative(dir.FullName)}: no such directory");
        if (File.Exists(dir.FullName)) throw new UsageException($"--checkpoint {TableCommand.Relative(dir.FullName)} is a file, not a directory");
        return new Plan(dir.FullName, resume is not null, TimeSpan.FromMinutes(every ?? 10));
    }

    public sealed record Plan(string Directory, bool Resume, TimeSpan Every)
    {
        public string FileFor(Scenario s) => TableCommand.Relative(Path.Combine(Directory, s.Name + Extension));

        /// <summary>The scenarios to run: with --resume and none named, those DIR holds a checkpoint of.</summary>
        public string[] Scenarios(string[] named)
        {
            if (!Resume || named.Length > 0) return named;
            var found = System.IO.Directory.GetFiles(Directory, "*" + Extension).Select(f => Path.GetFileName(f)[..^Extension.Length]).Order(StringComparer.Ordinal).ToArray();
            return found.Length > 0 ? found : throw new UsageException($"--resume {TableCommand.Relative(Directory)} holds no checkpoint (*{Extension})");
        }

        /// <summary>Before anything runs: with --resume, every scenario to run has its checkpoint.</summary>
        public void Validate(IEnumerable<Scenario> scenarios)
        {
            foreach (var s in scenarios) Apply(new ExhaustiveOptions(), s, "");
        }

        public ExhaustiveOptions Apply(ExhaustiveOptions options, Scenario s, string tableHash)
        {
            string file = FileFor(s);
            if (Resume && !File.Exists(file)) throw new UsageException($"--resume {TableCommand.Relative(Directory)} holds no checkpoint of scenario {s.Name} ({TableCommand.Relative(file)})");
            return options with { CheckpointFile = file, CheckpointEvery = Every, TableHash = tableHash, ResumeFrom = Resume ? file : null };
        }
    }
}
