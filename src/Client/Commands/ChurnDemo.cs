using System.Globalization;
using P2POrleans.Chord;
using P2POrleans.Client.Soak;
using P2POrleans.Client.Structured;
using P2POrleans.Common;
using Spectre.Console;

namespace P2POrleans.Client.Commands;

/// <summary>
/// The churn part of the demo: a bounded soak (`p2p soak`) on a Chord ring. Peers join
/// and crash every round while lookups go on; then the ring settles and every key is read once.
/// </summary>
public static class ChurnDemo
{
    public const string Overlay = "demo-churn";

    public static async Task RunAsync(CliSession session, IClusterClient client, int peers, CancellationToken ct, DemoWeb? web = null)
    {
        var console = session.Console;
        var registry = await DemoScene.OpenAsync(session, client, "[bold]Churn[/] (a bounded soak: `p2p soak`)", Overlay, kind: null);

        var parameters = new ChordParameters { Bits = 32, Successors = 8, Replicas = 3, Seed = 11 };
        await registry.CreateAsync(parameters);
        var control = client.GetGrain<IChordOverlayGrain>(Overlay);
        await (web ?? DemoWeb.Off).SceneAsync(Overlay, "Churn: peers join and crash while keys are read and written", ct);
        await control.JoinHostsAsync(peers);
        await ChordDemo.StabilizeUntilCorrectAsync(registry, control, 60);

        // 10% of the live peers crash and as many join every round: three copies of each key, and
        // stabilization re-replicates each round, so a key dies only when all three go at once.
        var tenPercent = new SoakRate(10, Percent: true);
        var options = new SoakOptions(Minutes: 5, Rounds: 10, JoinRate: tenPercent, FailRate: tenPercent, LookupRate: 20, Keys: 100, SettleRounds: 5, Seed: 1);
        var report = await new SoakRunner(client, ChordAdapter.Instance, Overlay, parameters, options).RunAsync((_, _) => { }, ct);
        var c = CultureInfo.InvariantCulture;
        console.MarkupLine($"Chord ring of {report.PeersAtStart} peers, 3 copies of each of {report.Keys} keys; {report.Rounds} rounds with 10% of the peers crashing and 10% joining each round ({report.Failed} crashed, {report.Joined} joined).");
        console.MarkupLine($"Lookups during the churn: {report.Lookups} of which [bold]{report.Success.ToString("P1", c)}[/] correct, {report.MeanHops.ToString("F2", c)} hops on average.");
        console.MarkupLine($"After {report.SettleRounds} quiet rounds: {report.Keys - report.KeysLost} of {report.Keys} keys found, [bold]{report.KeysLost}[/] lost (a key dies only if all its copies crash within one round).\n");
    }
}
