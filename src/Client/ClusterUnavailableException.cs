namespace P2POrleans.Client;

/// <summary>The cluster did not answer a call after every try (exit code 3); the message says which silo and how many tries.</summary>
public sealed class ClusterUnavailableException(string message, Exception? inner = null) : Exception(message, inner);
