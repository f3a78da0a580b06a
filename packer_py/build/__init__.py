"""Running builds: multistep steps with reverse cleanup, the build UI, the journal of temporary resources."""
