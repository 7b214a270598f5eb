export { createSpeedForecaster, type SpeedForecaster, type SpeedForecasterOptions, type TrainingHistory } from './forecaster.js';
export { evaluateForecaster, type Evaluation, type HorizonScore } from './evaluate.js';
export { parseSpeedsCsv, parseAdjacencyCsv, type SpeedTable } from './speeds-csv.js';
