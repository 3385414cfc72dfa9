namespace P2POrleans.Client.Soak;

/// <summary>A bounded churn soak: it stops after <see cref="Rounds"/> rounds or <see cref="Minutes"/> of wall time, whichever comes first.</summary>
public sealed record SoakOptions(
    double Minutes,
    int Rounds,
    SoakRate JoinRate,
    SoakRate FailRate,
    int LookupRate,
    int Keys,
    int SettleRounds,
    long Seed)
{
    public const double MaxMinutes = 60;
    public const int MaxRounds = 10_000;
    public const int MaxLookupRate = 100_000;
    public const int MaxKeys = 100_000;
    public const int MaxSettleRounds = 1_000;
}
