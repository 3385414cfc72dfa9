using System.CommandLine;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using P2POrleans.Client;

namespace P2POrleans.Tests.Fuzzing;

/// <summary>
/// Every command's argument parsing on hostile input: the command path of any command,
/// then a mix of its own options and arguments with hostile values. Pointed at a gateway where
/// nothing listens, so nothing can run: the only outcomes are exit 0 (help, listings) or one
/// `error: ...` line with exit 2, never an exception.
/// </summary>
public sealed class CommandLineFuzzTests
{
    // The REPL reads standard input; every other command is fair game.
    private static readonly string[] Excluded = ["repl"];

    private static readonly IReadOnlyList<(string[] Path, Command Command)> Leaves = Walk(P2PCli.BuildRoot(new GlobalOptions(), new CommandEnvironment()), []).ToList();

    public static Arbitrary<CommandLine> Lines() =>
        (from leaf in Gen.Elements(Leaves.ToArray())
         from words in Gen.ArrayOf(Word(leaf.Command))
         select new CommandLine([.. leaf.Path, .. words.SelectMany(w => w)])).ToArbitrary();

    [Fact]
    public void The_fuzz_reaches_every_command()
    {
        var names = Leaves.Select(l => string.Join(' ', l.Path)).ToList();
        Assert.Contains("chord create", names);
        Assert.Contains("swarm run", names);
        Assert.Contains("bench", names);
        Assert.Contains("soak", names);
        Assert.True(names.Count > 60, $"only {names.Count} commands found");
    }

    /// <summary>
    /// No silo listens on gateway port 1: a line the parser refuses is bad input (exit 2); a line it
    /// accepts reaches for the cluster and is "cluster unavailable" (exit 3). Either way one error line.
    /// </summary>
    [Property(Arbitrary = [typeof(CommandLineFuzzTests)], MaxTest = 3000)]
    public bool Any_command_line_ends_in_exit_0_or_one_error_line_and_exit_2_or_3(CommandLine line)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var code = P2PCli.RunAsync([.. line.Args, "--gateway-port", "1"], output, error).GetAwaiter().GetResult();
        var lines = error.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        return code switch
        {
            P2PCli.Ok => lines.Length == 0,
            P2PCli.BadInput or P2PCli.Unavailable => lines.Length == 1 && lines[0].StartsWith("error: ", StringComparison.Ordinal),
            _ => false,
        };
    }

    private static IEnumerable<(string[] Path, Command Command)> Walk(Command command, string[] path)
    {
        if (command.Subcommands.Count == 0)
        {
            yield return (path, command);
        }

        foreach (var sub in command.Subcommands.Where(s => !Excluded.Contains(s.Name)))
        {
            foreach (var leaf in Walk(sub, [.. path, sub.Name]))
            {
                yield return leaf;
            }
        }
    }

    /// <summary>One option with a hostile value, a bare option, or a hostile positional word.</summary>
    private static Gen<string[]> Word(Command command)
    {
        var names = command.Options.Select(o => o.Name).Where(n => n is not ("--help" or "-h" or "-?")).DefaultIfEmpty("--json").ToArray();
        var value = Gen.OneOf(
            FuzzInput.HostileText,
            Gen.Elements("0", "-1", "1", "2147483648", "-2147483649", "1e9", "0x10", "10%", "150%", "NaN", "", " ", "a,b", "1,,2", "../x", "/nonexistent/dir/file"));
        return Gen.OneOf(
            from name in Gen.Elements(names)
            from v in value
            select new[] { name, v },
            Gen.Elements(names).Select(n => new[] { n }),
            value.Select(v => new[] { v }));
    }

    /// <summary>A command line, printed quoted when a property fails.</summary>
    public sealed record CommandLine(string[] Args)
    {
        public override string ToString() => string.Join(' ', Args.Select(a => $"\"{a}\""));
    }
}
