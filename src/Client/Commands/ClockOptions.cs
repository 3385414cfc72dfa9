using System.CommandLine;
using P2POrleans.Common;

namespace P2POrleans.Client.Commands;

/// <summary>
/// The `create` options every structured overlay (Chord, Pastry, Kelips) takes for what
/// <see cref="OverlayParameters"/> holds for all of them: the clock (stepped or live), the live period
/// and the seed. One definition, read into the parameters in one place.
/// </summary>
public sealed class ClockOptions
{
    public Option<ClockMode> Clock { get; } = new("--clock") { Description = "stepped (rounds driven by `step`) or live (grain timers)", DefaultValueFactory = _ => ClockMode.Stepped };

    public Option<int> Period { get; } = new("--period") { Description = "live clock period in ms", DefaultValueFactory = _ => 1000 };

    public Option<long> Seed { get; } = new("--seed") { Description = "seed of every random choice", DefaultValueFactory = _ => 1 };

    /// <summary>The parameters with the clock, period and seed given on the command line.</summary>
    public TParameters Read<TParameters>(ParseResult parse, TParameters parameters)
        where TParameters : OverlayParameters
    {
        ArgumentNullException.ThrowIfNull(parse);
        OverlayParameters common = parameters;
        return (TParameters)(common with { Clock = parse.GetValue(Clock), PeriodMs = parse.GetValue(Period), Seed = parse.GetValue(Seed) });
    }
}
