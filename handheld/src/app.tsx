/** The handheld's screens; filled in by the app's modules (see DESIGN). */
export function App() {
  return <main>Warehouse handheld</main>
}
