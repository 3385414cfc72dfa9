using P2POrleans.Kelips;

namespace P2POrleans.Tests.Kelips;

/// <summary>One lookup of <see cref="KelipsSimulation.Walk"/>: the answer, the route's length and the messages sent.</summary>
internal sealed record SimulatedLookup(FileTuple? Answer, int PathLength, int Messages, int Dead);
