using System.CommandLine;
using System.Text;

namespace P2POrleans.Client.Commands;

/// <summary>
/// `p2p repl`: the same commands, one per line, on one connection (so an embedded silo lives for the
/// whole session). When standard input is not a terminal it reads a script of commands from it.
/// Ctrl+C or SIGTERM stops it between commands, while one runs (that command reports what it did),
/// and while it waits for input: the read is abandoned, not waited for.
/// </summary>
public static class ReplCommand
{
    public static Command Build(CommandEnvironment env)
    {
        var command = new Command("repl", "Run commands interactively, or one per line from standard input");
        command.SetAction(env.Run(async (_, session, _, ct) =>
        {
            var interactive = !Console.IsInputRedirected;
            session.EndsWithCommand = false; // the session outlives each command typed
            var worst = P2PCli.Ok;
            var ran = 0;
            while (!ct.IsCancellationRequested)
            {
                if (interactive)
                {
                    await session.Out.WriteAsync("p2p> ");
                }

                // Console.In blocks its caller: read on a pool thread, and stop waiting when cancelled.
                session.Progress = $"{ran} command(s) run";
                var line = await Task.Run(Console.In.ReadLine, CancellationToken.None).WaitAsync(ct);
                if (line is null)
                {
                    break;
                }

                line = line.Trim();
                if (line.Length == 0 || line.StartsWith('#'))
                {
                    continue;
                }

                if (line is "exit" or "quit")
                {
                    break;
                }

                if (!interactive)
                {
                    await session.Out.WriteLineAsync("p2p> " + line);
                }

                string[] words;
                try
                {
                    words = Split(line);
                }
                catch (CliException e)
                {
                    await session.Error.WriteLineAsync("error: " + e.Message);
                    worst = Math.Max(worst, P2PCli.BadInput);
                    continue;
                }

                if (words.Length > 0 && words[0] == "repl")
                {
                    await session.Error.WriteLineAsync("error: already in the repl");
                    continue;
                }

                var code = await P2PCli.RunInSessionAsync(words, session, ct);
                worst = Math.Max(worst, code);
                ran++;
            }

            // Interactive mistakes are forgiven; a script with a failing line exits non-zero.
            return interactive ? P2PCli.Ok : worst;
        }));
        return command;
    }

    /// <summary>Splits a line into words, honouring single and double quotes.</summary>
    public static string[] Split(string line)
    {
        var words = new List<string>();
        var current = new StringBuilder();
        char? quote = null;
        var inWord = false;
        foreach (var c in line)
        {
            if (quote is { } q)
            {
                if (c == q)
                {
                    quote = null;
                }
                else
                {
                    current.Append(c);
                }
            }
            else if (c is '"' or '\'')
            {
                quote = c;
                inWord = true;
            }
            else if (char.IsWhiteSpace(c))
            {
                if (inWord)
                {
                    words.Add(current.ToString());
                    current.Clear();
                    inWord = false;
                }
            }
            else
            {
                current.Append(c);
                inWord = true;
            }
        }

        if (quote is not null)
        {
            throw new CliException("unterminated quote");
        }

        if (inWord)
        {
            words.Add(current.ToString());
        }

        return [.. words];
    }
}
