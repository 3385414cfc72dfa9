// placeholder
export function swarmView(v) {
  return { load: async () => {}, draw: () => { v.drawn(); } };
}
