using Spectre.Console;

namespace P2POrleans.Client.Commands;

/// <summary>
/// Runs a long job with a progress bar on a terminal, or a line per 10% on stderr otherwise (never
/// on stdout, which stays machine-readable; nothing at all with --json).
/// </summary>
public static class ProgressView
{
    public static async Task<T> RunAsync<T>(CliSession session, string title, Func<Action<double, string>, Task<T>> job)
    {
        // What an interrupted job had done is printed with the interruption (P2PCli).
        void Done(double fraction, string what) =>
            session.Progress = string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{title} {fraction * 100:0}% ({what})");

        if (!session.Console.Profile.Capabilities.Interactive || session.Json)
        {
            var last = int.MinValue; // so that the first report (0%) prints
            return await job((fraction, what) =>
            {
                Done(fraction, what);
                var percent = (int)(fraction * 100);
                if (!session.Json && percent / 10 != last / 10)
                {
                    last = percent;
                    session.Error.WriteLine($"{title}: {percent,3}% {what}");
                }
            });
        }

        T? result = default;
        await session.Console.Progress().StartAsync(async progress =>
        {
            var task = progress.AddTask(Markup.Escape(title), maxValue: 1.0);
            result = await job((fraction, what) =>
            {
                Done(fraction, what);
                task.Value = fraction;
                task.Description = $"{Markup.Escape(title)}: {Markup.Escape(what)}";
            });
            task.Value = 1.0;
        });
        return result!;
    }
}
