Console.WriteLine("bench: see docs");
