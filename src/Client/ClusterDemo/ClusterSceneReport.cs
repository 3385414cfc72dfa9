namespace P2POrleans.Client.ClusterDemo;

/// <summary>What the cluster scene measured: the silo it killed, the first pass started at the kill, kill → declared dead, and the pass after the restart.</summary>
public sealed record ClusterSceneReport(int Victim, ClusterScenePass FirstPass, TimeSpan DeclaredDead, ClusterScenePass AfterRestart);
