// The three built apps as real processes, driven over HTTP; shared with the demo and benchmarks.
export * from '#lx/testing';
