namespace P2POrleans.Client;

/// <summary>Bad input found by the client itself; printed as one line, exit code 2.</summary>
public sealed class CliException(string message) : Exception(message);
